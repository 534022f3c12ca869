package io.tickmux.transport.massive.internal;

/** Test access to the package-private auth frame. */
public final class AuthFrameAccess {
    /**
     * @param key a key
     * @return what Java-WebSocket's frame logging would print for an auth frame carrying it
     */
    public String describe(String key) {
        AuthFrame f = new AuthFrame("{\"action\":\"auth\",\"params\":\"" + key + "\"}");
        return f.toString() + " " + f.getPayloadData().remaining();
    }
}
