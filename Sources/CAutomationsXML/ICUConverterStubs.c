// libxml2 as Debian builds it converts encodings with iconv first and ICU's converters second. `history import`
// reads JUnit XML, which is UTF-8 or UTF-16 (libxml2 reads those itself), so ICU's converters are never needed;
// these stand-ins answer "no such converter", and the static binary does not pull ICU's 31 MB data set a second
// time (Foundation already links its own). Their names carry Debian 12's ICU version: with another ICU the linker
// takes the real ones from libicuuc (named in Package.swift), as before.
#include <stddef.h>

typedef int icu_error_code;
enum { U_FILE_ACCESS_ERROR = 4 };

void *ucnv_open_72(const char *name, icu_error_code *error) {
    (void)name;
    if (error) *error = U_FILE_ACCESS_ERROR;
    return NULL;
}

void ucnv_close_72(void *converter) { (void)converter; }

void ucnv_setToUCallBack_72(void *converter, void *action, const void *context, void *old_action,
                            const void **old_context, icu_error_code *error) {
    (void)converter, (void)action, (void)context, (void)old_action, (void)old_context;
    if (error) *error = U_FILE_ACCESS_ERROR;
}

void ucnv_setFromUCallBack_72(void *converter, void *action, const void *context, void *old_action,
                              const void **old_context, icu_error_code *error) {
    (void)converter, (void)action, (void)context, (void)old_action, (void)old_context;
    if (error) *error = U_FILE_ACCESS_ERROR;
}

void ucnv_convertEx_72(void *target_converter, void *source_converter, char **target, const char *target_limit,
                       const char **source, const char *source_limit, void *pivot_start, void **pivot_source,
                       void **pivot_target, const void *pivot_limit, signed char reset, signed char flush,
                       icu_error_code *error) {
    (void)target_converter, (void)source_converter, (void)target, (void)target_limit, (void)source,
        (void)source_limit, (void)pivot_start, (void)pivot_source, (void)pivot_target, (void)pivot_limit, (void)reset,
        (void)flush;
    if (error) *error = U_FILE_ACCESS_ERROR;
}

void UCNV_FROM_U_CALLBACK_STOP_72(const void *context, void *arguments, const void *code_units, int length,
                                  int code_point, int reason, icu_error_code *error) {
    (void)context, (void)arguments, (void)code_units, (void)length, (void)code_point, (void)reason, (void)error;
}

void UCNV_TO_U_CALLBACK_STOP_72(const void *context, void *arguments, const char *code_units, int length, int reason,
                                icu_error_code *error) {
    (void)context, (void)arguments, (void)code_units, (void)length, (void)reason, (void)error;
}
