package dev.ringway.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that runs wolfSSL built with DTLS 1.3 ({@link WolfSsl}); see {@link
 * RequirementExtension}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("wolfssl")
@ExtendWith(RequirementExtension.class)
public @interface WolfSslTest {}
