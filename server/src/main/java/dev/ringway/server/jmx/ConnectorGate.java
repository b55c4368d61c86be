package dev.ringway.server.jmx;

import dev.ringway.config.Config;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.NotificationListener;
import javax.management.ObjectInstance;
import javax.management.ObjectName;
import javax.management.QueryExp;
import javax.management.loading.ClassLoaderRepository;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.MBeanServerForwarder;
import javax.security.auth.Subject;

/**
 * Everything a JMX client reaches passes here, between the connector and the platform MBean server.
 * The platform server also holds beans that hand over the whole JVM — {@code DiagnosticCommand}
 * loads agents, {@code HotSpotDiagnostic} dumps the heap with every key in it, {@code MLet} and
 * {@code createMBean} load code, a new connector opens the JVM to the network — so the gate admits
 * only:
 *
 * <ul>
 *   <li>the {@code dev.ringway} beans: a {@code monitor} reads and calls read-only ({@code INFO})
 *       operations, an {@code operator} (or anyone, when the connector has no {@code jmx.users})
 *       also writes and acts;
 *   <li>the {@code java.lang} and {@code java.nio} platform MXBeans and the MBean server delegate,
 *       read-only, so that jconsole's and VisualVM's overview, memory, thread and class tabs work:
 *       attributes, bean info, queries (answered with the exposed beans only), notification
 *       listeners, and the thread-inspection operations of {@code java.lang:type=Threading}. {@code
 *       Memory.gc()} stalls every thread including the loop, so it needs the operator role, like
 *       any other action.
 * </ul>
 *
 * Everything else — other beans, creating, registering or removing beans, class loaders, attribute
 * writes and operations on platform beans — is refused with a {@link SecurityException} that says
 * what is allowed. The gate is fail-closed: a method it does not know is refused. Values written or
 * passed as arguments must be open data (the serial filter in {@link JmxConnector} has already kept
 * other classes from being deserialized; this keeps in-process callers to the same rule).
 */
final class ConnectorGate implements InvocationHandler {
  private static final String DOMAIN = JmxAgent.DOMAIN;
  private static final Set<String> PLATFORM_DOMAINS = Set.of("java.lang", "java.nio");
  private static final ObjectName DELEGATE = MBeanServerDelegate.DELEGATE_NAME;
  private static final ObjectName THREADING = platform("java.lang:type=Threading");
  private static final ObjectName MEMORY = platform("java.lang:type=Memory");

  /** Operations of {@code java.lang:type=Threading} that only look (jconsole's Threads tab). */
  private static final Set<String> THREAD_READS =
      Set.of(
          "getThreadInfo",
          "dumpAllThreads",
          "findDeadlockedThreads",
          "findMonitorDeadlockedThreads",
          "getThreadCpuTime",
          "getThreadUserTime",
          "getThreadAllocatedBytes");

  private static final String EXPOSED =
      " (this connector exposes only the dev.ringway beans and, read-only, the java.lang and"
          + " java.nio platform beans)";

  private final boolean authenticated;
  private MBeanServer target;

  private ConnectorGate(boolean authenticated) {
    this.authenticated = authenticated;
  }

  /**
   * The gate for a connector; with {@code authenticated} false (no {@code jmx.users}) a caller has
   * no subject and counts as an operator of the Ringway beans.
   */
  static MBeanServerForwarder create(boolean authenticated) {
    return (MBeanServerForwarder)
        Proxy.newProxyInstance(
            ConnectorGate.class.getClassLoader(),
            new Class<?>[] {MBeanServerForwarder.class},
            new ConnectorGate(authenticated));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String call = method.getName();
    switch (call) {
      case "getMBeanServer" -> {
        return target;
      }
      case "setMBeanServer" -> {
        target = (MBeanServer) args[0];
        return null;
      }
      case "toString" -> {
        return "ConnectorGate[" + target + "]";
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "getAttribute",
          "getAttributes",
          "getMBeanInfo",
          "getObjectInstance",
          "isInstanceOf",
          // The connector asks for it to deserialize an argument for this bean, under the serial
          // filter; refusing hidden beans here means their arguments are never even read.
          "getClassLoaderFor" ->
          requireExposed((ObjectName) args[0], call.equals("getClassLoaderFor") ? "calls" : call);
      case "isRegistered" -> {
        // jconsole asks whether HotSpotDiagnostic is there when it connects, and would fail on a
        // refusal: a hidden bean is simply not there.
        ObjectName name = (ObjectName) args[0];
        return name != null && exposed(name) && target.isRegistered(name);
      }
      case "getDefaultDomain" -> {}
      case "getDomains" -> {
        return Arrays.stream(target.getDomains())
            .filter(ConnectorGate::exposedDomain)
            .toArray(String[]::new);
      }
      case "getMBeanCount" -> {
        return (int) target.queryNames(null, null).stream().filter(ConnectorGate::exposed).count();
      }
      // A query expression is evaluated on every bean, hidden ones too, but only for whether the
      // bean matches, and hidden beans are dropped from the answer. No client can send one anyway:
      // the serial filter admits no QueryExp class. The connector's own notification buffer uses
      // one to find the broadcasters.
      case "queryNames" -> {
        Set<ObjectName> names = new LinkedHashSet<>();
        for (ObjectName name : target.queryNames((ObjectName) args[0], (QueryExp) args[1])) {
          if (exposed(name)) {
            names.add(name);
          }
        }
        return names;
      }
      case "queryMBeans" -> {
        Set<ObjectInstance> instances = new LinkedHashSet<>();
        for (ObjectInstance instance :
            target.queryMBeans((ObjectName) args[0], (QueryExp) args[1])) {
          if (exposed(instance.getObjectName())) {
            instances.add(instance);
          }
        }
        return instances;
      }
      case "addNotificationListener", "removeNotificationListener" -> {
        requireExposed((ObjectName) args[0], call);
        if (!(args[1] instanceof NotificationListener)) {
          throw new SecurityException(
              "access denied: " + call + " with an MBean as the listener is not allowed");
        }
      }
      case "setAttribute" -> {
        requireWritable((ObjectName) args[0], "setAttribute");
        requireOpen(((Attribute) args[1]).getValue(), "the value of " + args[1]);
      }
      case "setAttributes" -> {
        requireWritable((ObjectName) args[0], "setAttributes");
        for (Attribute attribute : ((AttributeList) args[1]).asList()) {
          requireOpen(attribute.getValue(), "the value of " + attribute.getName());
        }
      }
      case "invoke" -> requireInvocable(args);
      case "getClassLoaderRepository" -> {
        // Every connection asks for it when it opens; an empty one lets no client name a class
        // that only some loader in the JVM could find.
        return EmptyRepository.INSTANCE;
      }
      default ->
          throw new SecurityException("access denied: " + call + " is not allowed" + EXPOSED);
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void requireInvocable(Object[] args) throws Exception {
    ObjectName name = (ObjectName) args[0];
    String operation = (String) args[1];
    Object[] params = args[2] == null ? new Object[0] : (Object[]) args[2];
    String[] signature = args[3] == null ? new String[0] : (String[]) args[3];
    requireExposed(name, "invoke");
    for (int i = 0; i < params.length; i++) {
      requireOpen(params[i], "argument " + (i + 1) + " of " + operation);
    }
    if (name.getDomain().equals(DOMAIN)) {
      if (!isOperator() && !readsOnly(name, operation, signature)) {
        throw new SecurityException(
            "access denied: operation " + operation + " of " + name + " needs role operator");
      }
      return;
    }
    if (name.equals(THREADING) && THREAD_READS.contains(operation)) {
      return;
    }
    if (name.equals(MEMORY) && operation.equals("gc")) {
      if (!isOperator()) {
        throw new SecurityException(
            "access denied: gc() of " + name + " stalls the server and needs role operator");
      }
      return;
    }
    throw new SecurityException(
        "access denied: operation " + operation + " of " + name + " is not allowed" + EXPOSED);
  }

  private void requireWritable(ObjectName name, String call) {
    requireExposed(name, call);
    if (!name.getDomain().equals(DOMAIN)) {
      throw new SecurityException(
          "access denied: " + call + " on " + name + " is not allowed" + EXPOSED);
    }
    if (!isOperator()) {
      throw new SecurityException("access denied: " + call + " needs role operator");
    }
  }

  /** {@code invoke(name, operation, params, signature)} of an operation declared {@code INFO}. */
  private boolean readsOnly(ObjectName name, String operation, String[] signature)
      throws Exception {
    for (MBeanOperationInfo info : target.getMBeanInfo(name).getOperations()) {
      if (info.getName().equals(operation)
          && Arrays.equals(
              Arrays.stream(info.getSignature()).map(p -> p.getType()).toArray(), signature)) {
        return info.getImpact() == MBeanOperationInfo.INFO;
      }
    }
    return false;
  }

  private boolean isOperator() {
    Subject subject = Subject.current();
    if (subject == null) {
      return !authenticated;
    }
    return subject.getPrincipals(JmxLogins.RolePrincipal.class).stream()
        .anyMatch(p -> p.role() == Config.JmxRole.OPERATOR);
  }

  private static void requireExposed(ObjectName name, String call) {
    if (name == null || name.isPattern() || !exposed(name)) {
      throw new SecurityException(
          "access denied: " + call + " on " + name + ": not exposed" + EXPOSED);
    }
  }

  static boolean exposed(ObjectName name) {
    return name.getDomain().equals(DOMAIN)
        || PLATFORM_DOMAINS.contains(name.getDomain())
        || name.equals(DELEGATE);
  }

  private static boolean exposedDomain(String domain) {
    return domain.equals(DOMAIN)
        || PLATFORM_DOMAINS.contains(domain)
        || domain.equals(DELEGATE.getDomain());
  }

  /**
   * Open data only: what an MXBean accepts, so nothing else can reach a bean's code even from a
   * caller in this JVM.
   */
  static void requireOpen(Object value, String what) {
    if (!isOpen(value)) {
      throw new SecurityException(
          "access denied: "
              + what
              + " is a "
              + value.getClass().getName()
              + ", not open data (simple types, CompositeData, TabularData, arrays of them)");
    }
  }

  private static boolean isOpen(Object value) {
    if (value == null) {
      return true;
    }
    Class<?> type = value.getClass();
    if (type.isArray()) {
      if (type.getComponentType().isPrimitive()) {
        return true;
      }
      for (int i = 0; i < Array.getLength(value); i++) {
        if (!isOpen(Array.get(value, i))) {
          return false;
        }
      }
      return true;
    }
    return value instanceof String
        || value instanceof Boolean
        || value instanceof Character
        || value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Float
        || value instanceof Double
        || value instanceof BigDecimal
        || value instanceof BigInteger
        || value instanceof Date
        || value instanceof ObjectName
        || value instanceof CompositeData
        || value instanceof TabularData;
  }

  private static ObjectName platform(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A class loader repository that finds nothing. */
  private enum EmptyRepository implements ClassLoaderRepository {
    INSTANCE;

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
      throw new ClassNotFoundException(className + " (this connector loads no classes by name)");
    }

    @Override
    public Class<?> loadClassWithout(ClassLoader exclude, String className)
        throws ClassNotFoundException {
      return loadClass(className);
    }

    @Override
    public Class<?> loadClassBefore(ClassLoader stop, String className)
        throws ClassNotFoundException {
      return loadClass(className);
    }
  }
}
