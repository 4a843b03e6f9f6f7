package fr.acclermont.gateway.demo;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The I/O transport of the origin: native epoll when it is available, NIO otherwise.
 *
 * <p>The epoll classes are reached by name because the build puts them on the runtime class
 * path only (the native-epoll artifacts are runtime-scoped); a missing or unloadable epoll means
 * NIO, never a failure.
 *
 * @param name {@code epoll} or {@code nio}, for logs
 * @param ioHandlerFactory the event loops' I/O handler factory
 * @param serverChannelType the listening channel's class
 */
record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannelType) {

  private static final String EPOLL_PACKAGE = "io.netty.channel.epoll.";

  /** Returns epoll if {@code Epoll.isAvailable()}, else NIO. */
  static Transport detect() {
    try {
      ClassLoader loader = Transport.class.getClassLoader();
      Class<?> epoll = Class.forName(EPOLL_PACKAGE + "Epoll", true, loader);
      if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
        Class<?> handler = Class.forName(EPOLL_PACKAGE + "EpollIoHandler", true, loader);
        return new Transport("epoll",
            (IoHandlerFactory) handler.getMethod("newFactory").invoke(null),
            Class.forName(EPOLL_PACKAGE + "EpollServerSocketChannel", true, loader).asSubclass(ServerChannel.class));
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      // Fall through to NIO: epoll is an optimisation, not a requirement.
    }
    return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
