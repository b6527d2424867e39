#ifndef C_AUTOMATIONS_XML_H
#define C_AUTOMATIONS_XML_H

#include <stddef.h>

/// One test case of a JUnit file: its suite (or classname), name, time and result.
typedef struct {
    const char *suite;
    const char *name;
    double seconds;
    /// 0 passed, 1 failed, 2 error, 3 skipped.
    int result;
} automations_junit_case;

typedef void (*automations_junit_callback)(const automations_junit_case *test_case, void *context);

/// Streams the test cases of the JUnit XML file at `path` to `callback` with libxml2's reader: no network, no entity
/// expansion, no DOCTYPE, libxml2's limits on depth and text. Returns 0, or: 1 unreadable, 2 a DOCTYPE, 3 malformed
/// (`error` says where), 4 not JUnit (no testsuites or testsuite root).
int automations_junit_read(
    const char *path,
    automations_junit_callback callback,
    void *context,
    char *error,
    size_t error_size
);

#endif
