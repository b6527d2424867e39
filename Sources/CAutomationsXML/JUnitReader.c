// Reads JUnit XML written by any tool with libxml2's streaming reader, keeping libxml2 (and the ICU types its
// headers bring) out of the Swift modules.
#include "CAutomationsXML.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SUITES = 64 };

typedef struct {
    char *suites[MAX_SUITES];
    int suite_count;
    automations_junit_case open;
    char *open_suite;
    char *open_name;
    int open_depth;
    int has_open;
} reader_state;

static char *copy_attribute(xmlTextReaderPtr reader, const char *name) {
    xmlChar *value = xmlTextReaderGetAttribute(reader, (const xmlChar *)name);
    if (!value) return NULL;
    char *copy = strdup((const char *)value);
    xmlFree(value);
    return copy;
}

static void finish_case(reader_state *state, automations_junit_callback callback, void *context) {
    if (!state->has_open) return;
    state->open.suite = state->open_suite ? state->open_suite : "";
    state->open.name = state->open_name ? state->open_name : "";
    callback(&state->open, context);
    free(state->open_suite);
    free(state->open_name);
    state->open_suite = NULL;
    state->open_name = NULL;
    state->has_open = 0;
    state->open_depth = -1;
}

static void open_case(reader_state *state, xmlTextReaderPtr reader, int depth) {
    char *suite = state->suite_count > 0 && state->suites[state->suite_count - 1] &&
                          state->suites[state->suite_count - 1][0]
                      ? strdup(state->suites[state->suite_count - 1])
                      : copy_attribute(reader, "classname");
    char *time = copy_attribute(reader, "time");
    state->open_suite = suite;
    state->open_name = copy_attribute(reader, "name");
    state->open.seconds = time ? strtod(time, NULL) : 0;
    state->open.result = 0;
    state->open_depth = depth;
    state->has_open = 1;
    free(time);
}

static void element(reader_state *state, xmlTextReaderPtr reader, const char *name, int depth,
                    automations_junit_callback callback, void *context) {
    int empty = xmlTextReaderIsEmptyElement(reader) == 1;
    if (strcmp(name, "testsuite") == 0) {
        if (!empty && state->suite_count < MAX_SUITES) state->suites[state->suite_count++] = copy_attribute(reader, "name");
    } else if (strcmp(name, "testcase") == 0) {
        finish_case(state, callback, context);
        open_case(state, reader, depth);
        if (empty) finish_case(state, callback, context);
    } else if (state->has_open && depth == state->open_depth + 1) {
        if (strcmp(name, "failure") == 0) state->open.result = 1;
        else if (strcmp(name, "error") == 0) state->open.result = 2;
        else if (strcmp(name, "skipped") == 0) state->open.result = 3;
    }
}

static void end_element(reader_state *state, const char *name, automations_junit_callback callback, void *context) {
    if (strcmp(name, "testcase") == 0) finish_case(state, callback, context);
    if (strcmp(name, "testsuite") == 0 && state->suite_count > 0) free(state->suites[--state->suite_count]);
}

static void release(reader_state *state) {
    while (state->suite_count > 0) free(state->suites[--state->suite_count]);
    free(state->open_suite);
    free(state->open_name);
}

int automations_junit_read(const char *path, automations_junit_callback callback, void *context, char *error,
                           size_t error_size) {
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlTextReaderPtr reader = xmlReaderForFile(path, NULL, options);
    if (!reader) return 1;
    reader_state state = {.open_depth = -1};
    int status = 0, saw_root = 0, step;
    while ((step = xmlTextReaderRead(reader)) == 1) {
        int type = xmlTextReaderNodeType(reader);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) { status = 2; break; }
        const char *name = (const char *)xmlTextReaderConstLocalName(reader);
        int depth = xmlTextReaderDepth(reader);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (depth == 0) {
                if (strcmp(name, "testsuites") != 0 && strcmp(name, "testsuite") != 0) { status = 4; break; }
                saw_root = 1;
            }
            element(&state, reader, name, depth, callback, context);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            end_element(&state, name, callback, context);
        }
    }
    if (status == 0 && step < 0) {
        const xmlError *last = xmlGetLastError();
        snprintf(error, error_size, "line %d: %s", last ? last->line : 0, last && last->message ? last->message : "parse error");
        size_t length = strlen(error);
        while (length > 0 && (error[length - 1] == '\n' || error[length - 1] == ' ')) error[--length] = 0;
        status = 3;
    }
    if (status == 0 && !saw_root) status = 4;
    if (status == 0) finish_case(&state, callback, context);
    release(&state);
    xmlFreeTextReader(reader);
    return status;
}
