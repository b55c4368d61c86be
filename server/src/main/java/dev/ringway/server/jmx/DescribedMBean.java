package dev.ringway.server.jmx;

import java.util.Map;
import javax.management.MBeanInfo;
import javax.management.StandardMBean;

/** An MXBean whose attributes and operations carry descriptions and units (see {@link Doc}). */
final class DescribedMBean<T> extends StandardMBean {
  private final String beanDescription;
  private final Map<String, Doc> attributes;
  private final Map<String, Doc.Op> operations;
  private volatile MBeanInfo info;

  DescribedMBean(
      T implementation,
      Class<T> mxbeanInterface,
      String beanDescription,
      Map<String, Doc> attributes,
      Map<String, Doc.Op> operations) {
    super(implementation, mxbeanInterface, true);
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
