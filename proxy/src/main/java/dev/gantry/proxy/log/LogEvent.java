package dev.gantry.proxy.log;

import org.slf4j.event.Level;

/** One logged event, as a tap sees it: the logger's full name, the level, the formatted message, the throwable. */
public record LogEvent(String logger, Level level, String message, Throwable thrown) {
}
