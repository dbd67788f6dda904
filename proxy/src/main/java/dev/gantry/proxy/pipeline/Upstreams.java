package dev.gantry.proxy.pipeline;

import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/** One {@link UpstreamPools} per event loop, created at start-up; looked up once per client connection. */
public final class Upstreams {

  private final Map<EventExecutor, UpstreamPools> byLoop;

  public Upstreams(EventLoopGroup group, Transport transport, WriteBufferWaterMark waterMark) {
    Map<EventExecutor, UpstreamPools> m = new IdentityHashMap<>();
    for (EventExecutor e : group) {
      m.put(e, new UpstreamPools((EventLoop) e, transport.socketChannelClass(), waterMark));
    }
    this.byLoop = m;
  }

  public UpstreamPools forLoop(EventLoop loop) {
    return byLoop.get(loop);
  }
}
