/**
 * Splitting an oversized inside packet into DataFrag frames (client side, digest §7.1) and putting
 * received fragments back together (server side, §7.2) with Lightway's exact range rules and an LRU
 * bound on how many packets may be in flight.
 */
package dev.ringway.core.frag;
