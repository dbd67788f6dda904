package dev.gantry.proxy.l4;

import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;

/**
 * How relays dial backends: the socket class of the transport in use, and the per-connection write buffer
 * above which the other side stops being read.
 */
public record RelayOptions(Class<? extends Channel> channelClass, WriteBufferWaterMark waterMark) {
}
