package dev.gantry.proxy.pipeline;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The socket implementation: native epoll where the platform has it, Java NIO otherwise. */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannelClass,
    Class<? extends SocketChannel> socketChannelClass) {

  /** {@code auto} picks epoll when available; {@code epoll} and {@code nio} force one. */
  public static Transport select(String preference) {
    boolean wantEpoll = switch (preference) {
      case "auto" -> Epoll.isAvailable();
      case "epoll" -> {
        Epoll.ensureAvailability();
        yield true;
      }
      case "nio" -> false;
      default -> throw new IllegalArgumentException("unknown transport \"" + preference
          + "\": expected auto, epoll or nio");
    };
    return wantEpoll
        ? new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class)
        : new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
  }

  public EventLoopGroup newGroup(int threads, String threadPrefix) {
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), ioHandlerFactory);
  }
}
