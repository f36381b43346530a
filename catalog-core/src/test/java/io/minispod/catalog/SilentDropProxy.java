package io.minispod.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of PostgreSQL whose open links can be made to swallow every byte, both ways,
 * while their sockets stay open: what a connection looks like after a NAT or firewall forgot it or
 * a server failed over without either end being told. Links opened afterwards relay normally.
 */
final class SilentDropProxy implements AutoCloseable {

  private static final Pattern URL =
      Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/(.*)");

  private final String upstreamHost;
  private final int upstreamPort;
  private final String proxiedUrl;
  private final ServerSocket server;
  private final List<Link> links = new CopyOnWriteArrayList<>();

  private SilentDropProxy(String jdbcUrl) throws IOException {
    Matcher url = URL.matcher(jdbcUrl);
    if (!url.matches()) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    upstreamHost = url.group(1);
    upstreamPort = url.group(2) == null ? 5432 : Integer.parseInt(url.group(2));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    proxiedUrl =
        "jdbc:postgresql://"
            + server.getInetAddress().getHostAddress()
            + ":"
            + server.getLocalPort()
            + "/"
            + url.group(3);
    start("silent-drop-proxy-accept", this::acceptLinks);
  }

  /** A proxy to the server of a JDBC URL. */
  static SilentDropProxy to(String jdbcUrl) throws IOException {
    return new SilentDropProxy(jdbcUrl);
  }

  /** The same database as the given URL, reached through this proxy. */
  String jdbcUrl() {
    return proxiedUrl;
  }

  /** From now on every link open at this moment swallows what either end sends. */
  void dropOpenLinksSilently() {
    links.forEach(link -> link.silent = true);
  }

  private void acceptLinks() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        Link link = new Link(client, upstream);
        links.add(link);
        start("silent-drop-proxy-up", () -> link.pump(client, upstream));
        start("silent-drop-proxy-down", () -> link.pump(upstream, client));
      } catch (IOException e) {
        // closed, or the upstream refused: the client sees its socket close
      }
    }
  }

  private static void start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    links.forEach(Link::close);
  }

  private static final class Link {
    private final Socket client;
    private final Socket upstream;
    private volatile boolean silent;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[8192];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int read;
        while ((read = in.read(buffer)) >= 0) {
          if (!silent) {
            out.write(buffer, 0, read);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one end went away: so does the link
      } finally {
        close();
      }
    }

    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
