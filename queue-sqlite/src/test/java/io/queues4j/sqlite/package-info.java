/** Tests of the SQLite store. */
@NullMarked
package io.queues4j.sqlite;

import org.jspecify.annotations.NullMarked;
