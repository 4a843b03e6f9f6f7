package fr.acclermont.gateway.server;

import io.netty.handler.codec.http.HttpContent;

/**
 * Produces the response to one client request. Created by {@link EdgeHandler}, which forwards the
 * connection's events to it until it reports completion through its {@link ClientRequest}. Event
 * loop only.
 */
interface Responder {

  /** Starts producing the response. */
  void start();

  /** Whether it consumes the request body (and reads it itself); otherwise the handler discards it. */
  default boolean consumesBody() {
    return false;
  }

  /** A piece of the request body; the responder owns it. */
  default void onRequestContent(HttpContent content) {
    content.release();
  }

  /** The client connection became writable again: continue sending. */
  void onWritable();

  /** The client connection closed: release everything, stop any fetch made only for it. */
  void onClientClosed();
}
