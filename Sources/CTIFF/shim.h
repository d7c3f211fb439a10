#include <stdarg.h>
#include <stdio.h>
#include <tiffio.h>

/* libtiff reports problems as printf formats with a va_list, which Swift cannot format, and
   by default prints them to stderr. This handler keeps the first message in the caller's
   buffer (LOUPE_TIFF_MESSAGE_SIZE bytes) instead, so it can become the refusal's reason. */
enum { LOUPE_TIFF_MESSAGE_SIZE = 256 };

static inline int loupe_tiff_keep_first(TIFF *tiff, void *buffer, const char *module, const char *format, va_list arguments) {
    (void)tiff;
    (void)module;
    char *message = (char *)buffer;
    if (message[0] == 0) vsnprintf(message, LOUPE_TIFF_MESSAGE_SIZE, format, arguments);
    return 1;
}

static inline int loupe_tiff_ignore(TIFF *tiff, void *buffer, const char *module, const char *format, va_list arguments) {
    (void)tiff; (void)buffer; (void)module; (void)format; (void)arguments;
    return 1;
}

/* Open options that route errors into `message` and silence warnings; `maxAllocation` caps
   any single buffer libtiff allocates for itself. */
static inline TIFFOpenOptions *loupe_tiff_options(char *message, tmsize_t maxAllocation) {
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, loupe_tiff_keep_first, message);
    TIFFOpenOptionsSetWarningHandlerExtR(options, loupe_tiff_ignore, NULL);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, maxAllocation);
    return options;
}

/* TIFFGetField and TIFFSetField are variadic, which Swift cannot call; these fix the types
   of the tags Loupe reads and writes. */
static inline int loupe_tiff_get_u16(TIFF *tiff, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tiff, tag, value);
}

static inline int loupe_tiff_get_u32(TIFF *tiff, uint32_t tag, uint32_t *value) {
    return TIFFGetFieldDefaulted(tiff, tag, value);
}

/* Variadic arguments are promoted to int, which is how libtiff reads 16-bit tags as well. */
static inline int loupe_tiff_set(TIFF *tiff, uint32_t tag, uint32_t value) {
    return TIFFSetField(tiff, tag, value);
}
