package io.minispod.spring.web;

import io.minispod.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/** Refuses request bodies on {@code /api/**} larger than the configured limit with a 413. */
final class BodySizeFilter extends OncePerRequestFilter {

  private final long maxBytes;

  BodySizeFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      response.setStatus(413);
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      response
          .getWriter()
          .write(
              Envelope.errorJson(
                  ErrorCode.VALIDATION_FAILED,
                  "The request body must be at most " + maxBytes + " bytes"));
      return;
    }
    chain.doFilter(new LimitedRequest(request, maxBytes), response);
  }

  /** A body without a Content-Length (chunked) is cut off at the limit: reading on fails. */
  private static final class LimitedRequest extends HttpServletRequestWrapper {

    private final long maxBytes;
    private ServletInputStream limited;

    LimitedRequest(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        ServletInputStream in = super.getInputStream();
        limited =
            new ServletInputStream() {
              private long read;

              @Override
              public int read() throws IOException {
                int b = in.read();
                if (b >= 0 && ++read > maxBytes) {
                  throw new IOException("request body larger than " + maxBytes + " bytes");
                }
                return b;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0 && (read += n) > maxBytes) {
                  throw new IOException("request body larger than " + maxBytes + " bytes");
                }
                return n;
              }

              @Override
              public boolean isFinished() {
                return in.isFinished();
              }

              @Override
              public boolean isReady() {
                return in.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
              }
            };
      }
      return limited;
    }
  }
}
