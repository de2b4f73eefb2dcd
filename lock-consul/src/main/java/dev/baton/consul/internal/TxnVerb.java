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

/**
 * The verbs of the KV operations the backend sends in a {@code /v1/txn} request, each with the name Consul spells it
 * by. Threadsafe (an enum).
 */
public enum TxnVerb {
    /** Sets the key if its {@code ModifyIndex} matches (0: if it does not exist). */
    CAS("cas"),
    /** Sets the key and locks it with the session, unless another session holds it. */
    LOCK("lock"),
    /** Sets the key and releases the session's lock on it. */
    UNLOCK("unlock"),
    /** Sets the key. */
    SET("set"),
    /** Deletes the key. */
    DELETE("delete"),
    /** Fails the transaction unless the key's {@code ModifyIndex} matches. */
    CHECK_INDEX("check-index"),
    /** Fails the transaction if the key exists. */
    CHECK_NOT_EXISTS("check-not-exists");

    private final String wireName;

    TxnVerb(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Returns the verb as Consul spells it in a request.
     *
     * @return the name, such as {@code check-index}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Tells whether this verb only checks the key, changing nothing.
     *
     * @return whether it is a check
     */
    public boolean isCheck() {
        return this == CHECK_INDEX || this == CHECK_NOT_EXISTS;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
