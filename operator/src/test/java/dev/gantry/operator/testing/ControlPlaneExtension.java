package dev.gantry.operator.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the real control plane ({@link ControlPlane}), Gantry installed on it ({@link GantryRelease})
 * and addresses for what stands behind EndpointSlices and pod IPs ({@link LocalAddresses}): each is made once
 * per test run, on first use, and torn down when the run ends (the control plane's processes stopped by PID,
 * the network device removed).
 */
public final class ControlPlaneExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ControlPlane.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ControlPlane.class || type == GantryRelease.class || type == LocalAddresses.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == LocalAddresses.class) {
      return context.getRoot().getStore(STORE).getOrComputeIfAbsent(LocalAddresses.class,
          k -> LocalAddresses.create(), LocalAddresses.class);
    }
    ControlPlane controlPlane = controlPlane(context);
    if (parameter.getParameter().getType() == ControlPlane.class) {
      return controlPlane;
    }
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(GantryRelease.class,
        k -> GantryRelease.install(controlPlane), GantryRelease.class);
  }

  private static ControlPlane controlPlane(ExtensionContext context) {
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(ControlPlane.class,
        k -> ControlPlane.start(Path.of("target", "cluster").toAbsolutePath()), ControlPlane.class);
  }
}
