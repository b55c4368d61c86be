package dev.ringway.server.jmx;

import dev.ringway.config.Setting;
import dev.ringway.config.Settings;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type=Tunables}: reads come from the running configuration, every write goes through the
 * {@link Retuner}, and each outcome is announced: one {@link AttributeChangeNotification} per
 * changed attribute, or one {@value #RETUNE_FAILED} notification for a refused or failed change.
 */
final class TunablesBean implements TunablesMXBean {
  private static final Logger log = LoggerFactory.getLogger(TunablesBean.class);

  static final String RETUNE_FAILED = "dev.ringway.retune.failed";

  static final MBeanNotificationInfo[] NOTIFICATIONS = {
    new MBeanNotificationInfo(
        new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
        AttributeChangeNotification.class.getName(),
        "A tunable changed; old and new value in the attribute's JMX form."),
    new MBeanNotificationInfo(
        new String[] {RETUNE_FAILED},
        Notification.class.getName(),
        "A change was refused (naming key, value and rule) or failed; nothing changed."),
  };

  private final Retuner retuner;
  private final ObjectName name;
  private final NotificationBroadcasterSupport emitter =
      new NotificationBroadcasterSupport(NOTIFICATIONS);
  private final AtomicLong sequence = new AtomicLong();

  TunablesBean(Retuner retuner, ObjectName name) {
    this.retuner = retuner;
    this.name = name;
  }

  NotificationBroadcasterSupport emitter() {
    return emitter;
  }

  @Override
  public String apply(Map<String, String> changesByYamlKey) {
    Retuner.Outcome outcome = retuner.apply(changesByYamlKey);
    switch (outcome) {
      case Retuner.Applied applied -> {
        for (Retuner.Change change : applied.changes()) {
          emitter.sendNotification(
              new AttributeChangeNotification(
                  name,
                  sequence.incrementAndGet(),
                  System.currentTimeMillis(),
                  change.setting().key() + " " + change.oldText() + " → " + change.newText(),
                  change.setting().jmxAttribute(),
                  jmxType(change.newValue()),
                  change.oldValue(),
                  change.newValue()));
        }
        if (!applied.changes().isEmpty()) {
          log.info("retune: {}", applied.render());
        }
        return applied.render();
      }
      case Retuner.Refused refused -> {
        announceFailure(refused.render(), changesByYamlKey);
        throw new IllegalArgumentException(refused.render());
      }
      case Retuner.Failed failed -> {
        announceFailure(failed.render(), changesByYamlKey);
        throw new IllegalStateException(failed.render());
      }
    }
  }

  void announceFailure(String message, Map<String, String> requested) {
    log.warn("retune {}: {}", requested, message);
    Notification notification =
        new Notification(RETUNE_FAILED, name, sequence.incrementAndGet(), message);
    notification.setUserData(String.valueOf(requested));
    emitter.sendNotification(notification);
  }

  private static String jmxType(Object value) {
    return switch (value) {
      case Integer i -> "int";
      case Long l -> "long";
      case Boolean b -> "boolean";
      case null, default -> String.class.getName();
    };
  }

  private Object read(Setting<?> setting) {
    return setting.jmxValueIn(retuner.current());
  }

  private void write(Setting<?> setting, Object value) {
    apply(Map.of(setting.key(), setting.textOfJmxValue(value)));
  }

  @Override
  public int getRingEntries() {
    return (Integer) read(Settings.RING_ENTRIES);
  }

  @Override
  public void setRingEntries(int entries) {
    write(Settings.RING_ENTRIES, entries);
  }

  @Override
  public long getSqpollIdleMillis() {
    return (Long) read(Settings.RING_SQPOLL_IDLE);
  }

  @Override
  public void setSqpollIdleMillis(long millis) {
    write(Settings.RING_SQPOLL_IDLE, millis);
  }

  @Override
  public int getTunRxSlots() {
    return (Integer) read(Settings.TUN_RX_SLOTS);
  }

  @Override
  public void setTunRxSlots(int slots) {
    write(Settings.TUN_RX_SLOTS, slots);
  }

  @Override
  public boolean isTunBlocking() {
    return (Boolean) read(Settings.TUN_BLOCKING);
  }

  @Override
  public void setTunBlocking(boolean blocking) {
    write(Settings.TUN_BLOCKING, blocking);
  }

  @Override
  public int getUdpRxSlots() {
    return (Integer) read(Settings.UDP_RX_SLOTS);
  }

  @Override
  public void setUdpRxSlots(int slots) {
    write(Settings.UDP_RX_SLOTS, slots);
  }

  @Override
  public int getTxSlots() {
    return (Integer) read(Settings.TX_SLOTS);
  }

  @Override
  public void setTxSlots(int slots) {
    write(Settings.TX_SLOTS, slots);
  }

  @Override
  public int getUdpSocketBufferBytes() {
    return (Integer) read(Settings.UDP_SOCKET_BUFFER);
  }

  @Override
  public void setUdpSocketBufferBytes(int bytes) {
    write(Settings.UDP_SOCKET_BUFFER, bytes);
  }

  @Override
  public int getTcpSocketBufferBytes() {
    return (Integer) read(Settings.TCP_SOCKET_BUFFER);
  }

  @Override
  public void setTcpSocketBufferBytes(int bytes) {
    write(Settings.TCP_SOCKET_BUFFER, bytes);
  }

  @Override
  public int getTcpMaxConnections() {
    return (Integer) read(Settings.TCP_MAX_CONNECTIONS);
  }

  @Override
  public void setTcpMaxConnections(int connections) {
    write(Settings.TCP_MAX_CONNECTIONS, connections);
  }

  @Override
  public String getLogLevel() {
    return (String) read(Settings.LOG_LEVEL);
  }

  @Override
  public void setLogLevel(String level) {
    write(Settings.LOG_LEVEL, level);
  }
}
