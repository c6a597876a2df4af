@NullMarked
package io.queues4j;

import org.jspecify.annotations.NullMarked;
