package io.partynet.server.internal.http;

import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.ErrorBody;
import io.partynet.protocol.internal.ProtocolJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Error answers written below Javalin: by the request gate, and by Jetty itself for requests it
 * refuses before any route runs (malformed request lines, oversized headers, bad URIs). Every one
 * is the protocol's {@code {"code", "message"}} JSON, never Jetty's HTML page. Thread-safe.
 */
final class JsonErrors extends ErrorHandler {
  private static final String JSON = "application/json";

  /** Writes an error answer and leaves the response committed. */
  static void write(HttpServletResponse response, int status, Reason reason, String message) throws IOException {
    byte[] body = ProtocolJson.write(ErrorBody.of(reason, message)).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(JSON);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /** The reason a status without a more specific cause maps to. */
  static Reason reasonFor(int status) {
    return switch (status) {
      case 401 -> Reason.UNAUTHORIZED;
      case 403 -> Reason.FORBIDDEN;
      case 429 -> Reason.RATE_LIMITED;
      case 503 -> Reason.CONTROL_PLANE_UNAVAILABLE;
      default -> status >= 500 ? Reason.INTERNAL : Reason.INVALID_ARGUMENT;
    };
  }

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
      HttpServletResponse response, int code, String message) throws IOException {
    baseRequest.setHandled(true);
    write(response, code, reasonFor(code), describe(code, message));
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, JSON);
    String json = ProtocolJson.write(ErrorBody.of(reasonFor(status), describe(status, reason)));
    return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String describe(int status, String message) {
    String text = message == null || message.isBlank() ? "HTTP " + status : message;
    return "the request was refused before it reached the API: " + text;
  }
}
