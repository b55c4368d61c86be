package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Set;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.MBeanServerForwarder;
import javax.security.auth.Subject;

/**
 * Lets a {@code monitor} read and an {@code operator} also write: between the connector and the
 * MBean server, every call that changes something — attribute writes, operations other than
 * read-only ({@code INFO}) ones, creating or removing MBeans — needs the operator role.
 */
final class RoleGate implements InvocationHandler {
  private static final Set<String> WRITES =
      Set.of(
          "setAttribute",
          "setAttributes",
          "createMBean",
          "registerMBean",
          "unregisterMBean",
          "instantiate",
          "deserialize");

  private MBeanServer target;

  static MBeanServerForwarder create() {
    return (MBeanServerForwarder)
        Proxy.newProxyInstance(
            RoleGate.class.getClassLoader(),
            new Class<?>[] {MBeanServerForwarder.class},
            new RoleGate());
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "getMBeanServer" -> {
        return target;
      }
      case "setMBeanServer" -> {
        target = (MBeanServer) args[0];
        return null;
      }
      default -> {}
    }
    if (!isOperator()) {
      if (WRITES.contains(method.getName())) {
        throw new SecurityException("access denied: " + method.getName() + " needs role operator");
      }
      if (method.getName().equals("invoke") && !readsOnly(args)) {
        throw new SecurityException(
            "access denied: operation " + args[1] + " of " + args[0] + " needs role operator");
      }
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** {@code invoke(name, operation, params, signature)} of an operation declared {@code INFO}. */
  private boolean readsOnly(Object[] args) throws Exception {
    ObjectName name = (ObjectName) args[0];
    String operation = (String) args[1];
    String[] signature = args[3] == null ? new String[0] : (String[]) args[3];
    for (MBeanOperationInfo info : target.getMBeanInfo(name).getOperations()) {
      if (info.getName().equals(operation)
          && Arrays.equals(
              Arrays.stream(info.getSignature()).map(p -> p.getType()).toArray(), signature)) {
        return info.getImpact() == MBeanOperationInfo.INFO;
      }
    }
    return false;
  }

  private static boolean isOperator() {
    Subject subject = Subject.current();
    return subject != null
        && subject.getPrincipals(JmxLogins.RolePrincipal.class).stream()
            .anyMatch(p -> p.role() == Config.JmxRole.OPERATOR);
  }
}
