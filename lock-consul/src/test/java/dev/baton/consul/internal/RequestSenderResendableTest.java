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
package dev.baton.consul.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Which failures make the client send a request once more: failures on an established connection, and never a failure
 * to connect (nothing was sent, the agent is down) or a timeout (the request timeout bounds the call).
 */
class RequestSenderResendableTest {
    @Test
    void failures_on_an_established_connection_are_resent() {
        assertThat(RequestSender.resendable(new IOException("HTTP/1.1 header parser received no bytes")))
                .isTrue();
        assertThat(RequestSender.resendable(new IOException("fixed content-length: 97, bytes received: 0")))
                .isTrue();
        assertThat(RequestSender.resendable(new SocketException("Connection reset")))
                .isTrue();
        assertThat(RequestSender.resendable(new EOFException())).isTrue();
    }

    @Test
    void failures_to_connect_timeouts_and_non_io_failures_are_not_resent() {
        assertThat(RequestSender.resendable(new ConnectException("Connection refused")))
                .isFalse();
        assertThat(RequestSender.resendable(new UnknownHostException("consul.invalid")))
                .isFalse();
        assertThat(RequestSender.resendable(new HttpTimeoutException("request timed out")))
                .isFalse();
        assertThat(RequestSender.resendable(new HttpConnectTimeoutException("connect timed out")))
                .isFalse();
        assertThat(RequestSender.resendable(new SocketTimeoutException("Read timed out")))
                .isFalse();
        assertThat(RequestSender.resendable(new SSLHandshakeException("PKIX path building failed")))
                .isFalse();
        assertThat(RequestSender.resendable(new IllegalStateException("closed")))
                .isFalse();
        assertThat(RequestSender.resendable(null)).isFalse();
    }
}
