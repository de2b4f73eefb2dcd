/*
 * Copyright 2026 The Baton Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.baton.lock.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fault proxy against a loopback echo server: it forwards, holds bytes in a blackhole, and resets on a cut. */
@ExtendWith(TckTimeoutExtension.class)
@TckTimeout(seconds = 30)
class TcpProxyTest {
    /** How long a read waits to show that nothing arrives: absence can only be shown by waiting. */
    private static final int QUIET_MILLIS = 300;

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> echoLoop(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private static void echoLoop(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] b = new byte[1024];
            int n;
            while ((n = in.read(b)) >= 0) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // the test closed or reset the connection
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return readExactly(s, text.length());
    }

    private static String readExactly(Socket s, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void forwards_both_ways_and_listens_on_loopback() throws IOException {
        assertThat(proxy.address()).isEqualTo("127.0.0.1:" + proxy.port());
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            assertThat(roundTrip(s, "again")).isEqualTo("again");
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void blackhole_holds_bytes_on_open_sockets_and_heal_delivers_them() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "before")).isEqualTo("before");
            proxy.blackhole();
            s.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            s.setSoTimeout(QUIET_MILLIS);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isClosed()).isFalse();

            proxy.heal();
            s.setSoTimeout(10_000);
            assertThat(readExactly(s, 4)).isEqualTo("held");
        }
    }

    @Test
    void blackhole_accepts_new_connections_but_forwards_nothing() throws IOException {
        proxy.blackhole();
        try (Socket s = connect()) {
            s.getOutputStream().write('x');
            s.getOutputStream().flush();
            s.setSoTimeout(QUIET_MILLIS);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.heal();
            s.setSoTimeout(10_000);
            assertThat(readExactly(s, 1)).isEqualTo("x");
        }
    }

    @Test
    void cut_resets_open_connections_and_new_ones_until_healed() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "ok")).isEqualTo("ok");
            proxy.cut();
            assertThatThrownBy(() -> {
                        // The reset shows as an IOException or as end of stream, depending on timing.
                        int r = s.getInputStream().read();
                        if (r < 0) {
                            throw new IOException("end of stream");
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        try (Socket s = connect()) {
            assertThatThrownBy(() -> {
                        s.getOutputStream().write('x');
                        int r = s.getInputStream().read();
                        if (r < 0) {
                            throw new IOException("end of stream");
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        proxy.heal();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "back")).isEqualTo("back");
        }
    }
}
