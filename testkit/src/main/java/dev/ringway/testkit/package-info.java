/**
 * Test support shared by every Ringway module: the requirement tags ({@code kernel}, {@code netns},
 * {@code ui}) that skip with a printed reason outside CI and fail loudly under {@code CI=true},
 * waits on a condition with a deadline, and network namespaces a test creates and removes.
 */
package dev.ringway.testkit;
