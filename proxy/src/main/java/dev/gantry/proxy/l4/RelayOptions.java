package dev.gantry.proxy.l4;

import io.netty.channel.Channel;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

/**
 * How relays dial backends: the socket class of the transport in use, and the per-connection write buffer
 * above which the other side stops being read.
 */
public record RelayOptions(Class<? extends Channel> channelClass, WriteBufferWaterMark waterMark) {

  /**
   * How much a relay reads at a time, on either side: 32 KiB. Netty's default grows reads to 64 KiB, and a bulk
   * transfer read and sent 64 KiB at a time woke the processes at both ends about four times as often per byte,
   * for about twice the CPU per byte; its default also shrinks the read after small ones, which split a 16 KiB
   * response in two (bench/README.md, "Relay reads").
   */
  public static final RecvByteBufAllocator READS = new FixedRecvByteBufAllocator(32 * 1024);
}
