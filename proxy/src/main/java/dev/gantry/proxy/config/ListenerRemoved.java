package dev.gantry.proxy.config;

/** User event fired on a client connection whose listener a reload removed: finish up and close. */
public enum ListenerRemoved {
  INSTANCE
}
