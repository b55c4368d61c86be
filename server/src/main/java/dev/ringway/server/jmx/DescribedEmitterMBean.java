package dev.ringway.server.jmx;

import java.util.Map;
import javax.management.MBeanInfo;
import javax.management.NotificationEmitter;
import javax.management.StandardEmitterMBean;

/** A notification-emitting MXBean whose attributes carry descriptions and units. */
final class DescribedEmitterMBean<T> extends StandardEmitterMBean {
  private final String beanDescription;
  private final Map<String, Doc> attributes;
  private final Map<String, Doc.Op> operations;
  private volatile MBeanInfo info;

  DescribedEmitterMBean(
      T implementation,
      Class<T> mxbeanInterface,
      NotificationEmitter emitter,
      String beanDescription,
      Map<String, Doc> attributes,
      Map<String, Doc.Op> operations) {
    super(implementation, mxbeanInterface, true, emitter);
    this.beanDescription = beanDescription;
    this.attributes = attributes;
    this.operations = operations;
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    MBeanInfo described = info;
    if (described == null) {
      described = Doc.describe(super.getMBeanInfo(), beanDescription, attributes, operations);
      info = described;
    }
    return described;
  }
}
