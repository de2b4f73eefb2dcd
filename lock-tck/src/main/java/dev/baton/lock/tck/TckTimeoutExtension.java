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

import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs each test method under a scaled time limit ({@link TckTimeout}, default {@value TckTimeout#DEFAULT_SECONDS}
 * seconds times {@link TckTimeouts#factor()}). The test runs on a separate thread that is interrupted when the limit
 * passes, so a test stuck in a non-interruptible wait still fails in time.
 *
 * <p>Stateless and threadsafe.
 */
public final class TckTimeoutExtension implements InvocationInterceptor {
    /** Creates the extension; JUnit does this through {@code @ExtendWith}. */
    public TckTimeoutExtension() {}

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        Method method = invocationContext.getExecutable();
        TckTimeout limit = method.getAnnotation(TckTimeout.class);
        if (limit == null) {
            limit = extensionContext.getRequiredTestClass().getAnnotation(TckTimeout.class);
        }
        long seconds = limit == null ? TckTimeout.DEFAULT_SECONDS : limit.seconds();
        Duration scaled = TckTimeouts.scaled(Duration.ofSeconds(seconds));
        Assertions.assertTimeoutPreemptively(
                scaled,
                () -> {
                    invocation.proceed();
                    return null;
                },
                () -> method.getName() + " did not finish within " + scaled + " (" + seconds + " s x "
                        + TckTimeouts.FACTOR_PROPERTY + "=" + TckTimeouts.factor() + ")");
    }
}
