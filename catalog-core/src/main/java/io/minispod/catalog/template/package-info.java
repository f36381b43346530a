/**
 * App templates: what a service's instance runs. Entry point: {@link
 * io.minispod.catalog.template.AppTemplate}, built with {@link
 * io.minispod.catalog.template.AppTemplate#builder}: an image, its port, environment with
 * placeholders, generated secrets, probes, the user it runs as, and {@link
 * io.minispod.catalog.template.Companion} containers (a database beside the app). {@link
 * io.minispod.catalog.template.Resources} is what a plan or a companion gets.
 */
package io.minispod.catalog.template;
