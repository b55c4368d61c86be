package dev.ringway.server.jmx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;

/**
 * What jconsole and VisualVM show for an attribute: a description and, in the descriptor field
 * {@code units}, its unit. The MXBean introspector knows neither, so {@link #describe} adds them to
 * the introspected {@link MBeanInfo}.
 */
record Doc(String description, String units) {

  /** An operation's description and whether it only reads ({@code INFO}) or acts. */
  record Op(String description, int impact) {
    static Op reads(String description) {
      return new Op(description, MBeanOperationInfo.INFO);
    }

    static Op acts(String description) {
      return new Op(description, MBeanOperationInfo.ACTION);
    }
  }

  /**
   * {@code info} with {@code beanDescription}, each attribute's description and unit from {@code
   * attributes}, and each operation's description and impact from {@code operations}. An attribute
   * or operation missing from the maps is an error: the contract says every one has a description
   * and a unit.
   */
  static MBeanInfo describe(
      MBeanInfo info,
      String beanDescription,
      Map<String, Doc> attributes,
      Map<String, Op> operations) {
    List<MBeanAttributeInfo> described = new ArrayList<>();
    for (MBeanAttributeInfo attribute : info.getAttributes()) {
      Doc doc = attributes.get(attribute.getName());
      if (doc == null) {
        throw new IllegalStateException("attribute " + attribute.getName() + " has no Doc");
      }
      Descriptor descriptor =
          ImmutableDescriptor.union(
              attribute.getDescriptor(), new ImmutableDescriptor("units=" + doc.units()));
      described.add(
          new MBeanAttributeInfo(
              attribute.getName(),
              attribute.getType(),
              doc.description(),
              attribute.isReadable(),
              attribute.isWritable(),
              attribute.isIs(),
              descriptor));
    }
    List<MBeanOperationInfo> ops = new ArrayList<>();
    for (MBeanOperationInfo operation : info.getOperations()) {
      Op op = operations.get(operation.getName());
      if (op == null) {
        throw new IllegalStateException("operation " + operation.getName() + " has no Op");
      }
      ops.add(
          new MBeanOperationInfo(
              operation.getName(),
              op.description(),
              operation.getSignature(),
              operation.getReturnType(),
              op.impact(),
              operation.getDescriptor()));
    }
    return new MBeanInfo(
        info.getClassName(),
        beanDescription,
        described.toArray(MBeanAttributeInfo[]::new),
        info.getConstructors(),
        ops.toArray(MBeanOperationInfo[]::new),
        info.getNotifications(),
        info.getDescriptor());
  }
}
