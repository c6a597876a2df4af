@NullMarked
package io.queues4j.core;

import org.jspecify.annotations.NullMarked;
