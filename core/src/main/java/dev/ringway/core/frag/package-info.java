/**
 * Splitting an oversized inside packet into DataFrag frames (client side, digest §7.1) and putting
 * received fragments back together (server side, §7.2) with Lightway's exact range rules, and with
 * bounds Lightway lacks on the packets, bytes and fragments a peer can leave pending, and on how
 * long they wait.
 */
package dev.ringway.core.frag;
