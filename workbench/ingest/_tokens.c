/* Blank-separated log tokenizer: the compiled half of workbench/ingest/tokens.py.
 *
 * scan(data, count, shapes, widths, seps, prefix, kinds, slots,
 *      state, line_start, line_end, rows, views, nums, url_field, url_slot, arena,
 *      nulls, valid) -> number of rows kept
 *   One pass over a block of ``count`` whole lines (no final newline), GIL released, into
 *   arrays the caller allocated. Per line: its state and byte range. Per line that matched
 *   (``rows``, in order): each field kept as a string becomes an Arrow string view into the
 *   block (slot j of ``views``), each field kept as a number a double (slot j of ``nums``).
 *   With ``url_field`` >= 0, that field's URL shape key (url_shape.py: fragment cut, query
 *   values emptied) becomes a view in slot ``url_slot``: into the block when the URL has no
 *   "?", else into ``arena`` (Arrow buffer 1), where shaped URLs are written one after another.
 *   ``nulls``: the values that mean "no value" ("\n"-terminated, e.g. "-\n"); a string field
 *   holding one is null: its bit in row j of ``valid`` (Arrow validity bitmaps) is 0.
 * scan_csv(data, count, prefix, columns, min_fields, nulls, url_slot,
 *          state, line_start, line_end, rows, views, valid, arena) -> number of rows kept
 *   The same for comma-separated lines, read as the pattern (?:^|,)("(?:[^"]|"")*"|[^,]*) reads
 *   them (a quoted cell runs to its last reachable closing quote; text between that and the
 *   next comma is dropped), quotes removed and "" unescaped. Slot j of views/valid gets
 *   column columns[j] (null where the line is shorter); lines with fewer than min_fields
 *   cells do not match; url_slot >= 0: that slot's shape key goes to slot len(columns).
 * count_newlines(data): for the line reader (lines.py).
 * The layout rules are documented in tokens.py; the shape and state codes are the same.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { ANY = 0, DIGITS = 1, DECIMAL = 2, INTEGER = 3, UPPER = 4 };
enum { OK = 0, SKIP = 1, NO_MATCH = 2, BAD_UTF8 = 3 };
enum { DROP = 0, KEEP_VIEW = 1, KEEP_NUMBER = 2 };  /* what becomes of a field */
#define BLANK 32

static inline int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

/* bytes that end any field: space, tab, newline, carriage return (one table load per byte) */
static unsigned char ENDS[256];

static void init_ends(void)
{
    ENDS[' '] = ENDS['\t'] = ENDS['\n'] = ENDS['\r'] = 1;
}

/* the first position from p on holding a byte that ends a field (ENDS, or sep), or size;
   sixteen bytes per step where SSE2 is there (every x86-64): URLs are long */
static inline Py_ssize_t field_end(const unsigned char *buf, Py_ssize_t p, Py_ssize_t size,
                                   unsigned char sep)
{
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'),
                  nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                  other = _mm_set1_epi8((char)sep);
    for (; p + 16 <= size; p += 16) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(buf + p));
        const __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)),
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)),
                         _mm_cmpeq_epi8(v, other)));
        const int mask = _mm_movemask_epi8(hit);
        if (mask) return p + __builtin_ctz((unsigned)mask);
    }
#endif
    while (p < size && !ENDS[buf[p]] && buf[p] != sep) p++;
    return p;
}

/* 1 when any byte of s[:n] is >= 0x80; eight bytes per step (a byte loop does not vectorize
   and cost a third of the scan), stopping at the first high byte */
static int any_high(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, s + i, 32);
        if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) return 1;
    }
    for (; i < n; i++) if (s[i] >= 0x80) return 1;
    return 0;
}

/* 1 when buf[a:b] is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF) */
static int valid_utf8(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {  /* ASCII runs a word at a time: most of a line is ASCII */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) { i += 8; continue; }
        }
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        int k; unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c == 0xE0) { k = 2; lo = 0xA0; }
        else if (c == 0xED) { k = 2; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) k = 2;
        else if (c == 0xF0) { k = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) k = 3;
        else if (c == 0xF4) { k = 3; hi = 0x8F; }
        else return 0;
        if (i + k >= n) return 0;  /* truncated sequence */
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (int j = 2; j <= k; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xBF) return 0;
        i += k + 1;
    }
    return 1;
}

static int field_ok(const unsigned char *s, Py_ssize_t n, int shape, int width)
{
    if (width && n != width) return 0;
    switch (shape) {
    case ANY:
        return 1;
    case DIGITS:
        for (Py_ssize_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return 0;
        return 1;
    case UPPER:
        for (Py_ssize_t i = 0; i < n; i++)
            if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_')) return 0;
        return 1;
    case INTEGER: {
        Py_ssize_t i = s[0] == '-';
        if (i == n) return 0;
        for (; i < n; i++) if (s[i] < '0' || s[i] > '9') return 0;
        return 1;
    }
    default: {  /* DECIMAL: digits with at most one inner dot */
        Py_ssize_t dot = -1;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (s[i] == '.' && dot < 0) dot = i;
            else if (s[i] < '0' || s[i] > '9') return 0;
        }
        return dot != 0 && dot != n - 1;
    }
    }
}

/* the value of a checked DIGITS, INTEGER or DECIMAL field; whole and fraction are exact up to
   2^53, so the result is within one ulp of a correctly rounded parse: an epoch with up to
   six decimals still lands on its exact microsecond */
static double number(const unsigned char *s, Py_ssize_t n)
{
    double sign = 1.0, whole = 0.0, frac = 0.0, scale = 1.0;
    Py_ssize_t i = 0;
    if (s[0] == '-') { sign = -1.0; i = 1; }
    for (; i < n && s[i] != '.'; i++) whole = whole * 10.0 + (s[i] - '0');
    if (i == n) return sign * whole;
    for (i++; i < n; i++) { frac = frac * 10.0 + (s[i] - '0'); scale *= 10.0; }
    return sign * (whole + frac / scale);
}

/* 1 when s[:n] is one of the "\n"-terminated values of nulls */
static inline int is_null(const unsigned char *s, Py_ssize_t n, const unsigned char *nulls,
                          Py_ssize_t len)
{
    Py_ssize_t i = 0;
    while (i < len) {
        const unsigned char *end = memchr(nulls + i, '\n', len - i);
        const Py_ssize_t k = (end ? end - nulls : len) - i;
        if (k == n && memcmp(nulls + i, s, n) == 0) return 1;
        i += k + 1;
    }
    return 0;
}

/* the length of the longest "\n"-terminated value of nulls: longer fields skip is_null */
static Py_ssize_t longest(const unsigned char *nulls, Py_ssize_t len)
{
    Py_ssize_t best = 0;
    for (Py_ssize_t i = 0, k = 0; i < len; i++, k++) {
        if (nulls[i] == '\n') k = -1;
        else if (k + 1 > best) best = k + 1;
    }
    return best;
}

typedef struct { Py_buffer b; int used; } Buf;

static int get(PyObject *o, Buf *x, int writable, Py_ssize_t min_bytes, const char *name)
{
    if (PyObject_GetBuffer(o, &x->b, writable ? PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS
                                               : PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    x->used = 1;
    if (x->b.len < min_bytes) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes, need %zd", name, x->b.len, min_bytes);
        return -1;
    }
    return 0;
}

static void release(Buf *bufs, int n)
{
    for (int i = 0; i < n; i++) if (bufs[i].used) PyBuffer_Release(&bufs[i].b);
}

/* Arrow's string view (16 bytes): int32 length, then the bytes inline (length <= 12, zero
   padded) or a 4-byte prefix, the data buffer's index (0: the block, 1: the arena) and the
   offset into it */
static inline void put_view(unsigned char *v, const unsigned char *buf, Py_ssize_t a,
                            Py_ssize_t n, int32_t index)
{
    const int32_t len = (int32_t)n;
    memcpy(v, &len, 4);
    if (n <= 12) {
        memset(v + 4, 0, 12);
        memcpy(v + 4, buf + a, n);
    } else {
        const int32_t offset = (int32_t)a;
        memcpy(v + 4, buf + a, 4);
        memcpy(v + 8, &index, 4);
        memcpy(v + 12, &offset, 4);
    }
}

/* the shape key of the URL buf[a:a+n] as a view: cut at the first "#"; without a "?" that is a
   prefix of the URL (a view into the block), else the URL up to its "?" and the query with
   every "=value" (up to the next "&") emptied, written to the arena at *used */
static inline void put_shape(unsigned char *v, const unsigned char *buf, Py_ssize_t a,
                             Py_ssize_t n, int32_t index, unsigned char *arena, Py_ssize_t *used)
{
    const unsigned char *s = buf + a;
    const unsigned char *hash = memchr(s, '#', n);
    const Py_ssize_t m = hash ? hash - s : n;
    const unsigned char *q = memchr(s, '?', m);
    if (!q) {
        put_view(v, buf, a, m, index);  /* buf is the block (0) or, for CSV, maybe the arena */
        return;
    }
    unsigned char *out = arena + *used;
    Py_ssize_t k = q - s + 1;
    memcpy(out, s, k);
    int in_value = 0;
    for (Py_ssize_t i = k; i < m; i++) {
        const unsigned char c = s[i];
        if (in_value && c != '&') continue;
        in_value = c == '=';
        out[k++] = c;
    }
    put_view(v, arena, *used, k, 1);
    *used += k;
}

static PyObject *scan(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *o[16];
    Py_ssize_t count, url_field, url_slot;
    if (!PyArg_ParseTuple(args, "OnOOOOOOOOOOOOnnOOO", &o[0], &count, &o[1], &o[2], &o[3],
                          &o[4], &o[5], &o[6], &o[7], &o[8], &o[9], &o[10], &o[11], &o[12],
                          &url_field, &url_slot, &o[13], &o[14], &o[15]))
        return NULL;
    Buf B[16];
    memset(B, 0, sizeof B);
    PyObject *result = NULL;
    if (get(o[0], &B[0], 0, 0, "data") < 0 || get(o[1], &B[1], 0, 0, "shapes") < 0)
        goto done;
    Py_ssize_t nf = B[1].b.len;
    if (get(o[2], &B[2], 0, 4 * nf, "widths") < 0 || get(o[3], &B[3], 0, nf, "seps") < 0 ||
        get(o[4], &B[4], 0, 0, "prefix") < 0 || get(o[5], &B[5], 0, nf, "kinds") < 0 ||
        get(o[6], &B[6], 0, 8 * nf, "slots") < 0 ||
        get(o[7], &B[7], 1, count, "state") < 0 ||
        get(o[8], &B[8], 1, 8 * count, "line_start") < 0 ||
        get(o[9], &B[9], 1, 8 * count, "line_end") < 0 ||
        get(o[10], &B[10], 1, 8 * count, "rows") < 0 ||
        get(o[11], &B[11], 1, 0, "views") < 0 || get(o[12], &B[12], 1, 0, "nums") < 0 ||
        get(o[13], &B[13], 1, url_field >= 0 ? B[0].b.len : 0, "arena") < 0 ||
        get(o[14], &B[14], 0, 0, "nulls") < 0 || get(o[15], &B[15], 1, 0, "valid") < 0)
        goto done;
    const unsigned char *buf = B[0].b.buf;
    const Py_ssize_t size = B[0].b.len;
    const int8_t *shapes = B[1].b.buf;
    const int32_t *widths = B[2].b.buf;
    const unsigned char *seps = B[3].b.buf;
    const unsigned char *prefix = B[4].b.buf;
    const Py_ssize_t npre = B[4].b.len;
    const int8_t *kinds = B[5].b.buf;
    const int64_t *slots = B[6].b.buf;
    uint8_t *state = B[7].b.buf;
    int64_t *line_start = B[8].b.buf, *line_end = B[9].b.buf, *rows = B[10].b.buf;
    unsigned char *views = B[11].b.buf;
    double *nums = B[12].b.buf;
    unsigned char *arena = B[13].b.buf;
    const unsigned char *nulls = B[14].b.buf;
    const Py_ssize_t nulls_len = B[14].b.len;
    unsigned char *valid = B[15].b.buf;
    const Py_ssize_t valid_row = (count + 7) / 8;
    const Py_ssize_t nulls_max = longest(nulls, nulls_len);
    Py_ssize_t arena_used = 0;  /* shaped URLs are shorter than their lines: the block's size is enough */
    if (url_field >= nf || (url_field >= 0 && (kinds[url_field] != KEEP_VIEW || url_slot < 0 ||
                                               (url_slot + 1) * count * 16 > B[11].b.len))) {
        PyErr_SetString(PyExc_ValueError, "url_field: not a kept string field, or no slot");
        goto done;
    }
    for (Py_ssize_t f = 0; f < nf; f++) {
        if (kinds[f] == DROP) continue;
        const int as_view = kinds[f] == KEEP_VIEW;
        const Py_ssize_t need = (slots[f] + 1) * count * (as_view ? 16 : 8);
        const Py_ssize_t have = as_view ? B[11].b.len : B[12].b.len;
        const int numeric = shapes[f] == DIGITS || shapes[f] == DECIMAL || shapes[f] == INTEGER;
        if (slots[f] < 0 || need > have || (!as_view && !numeric) ||
            (as_view && (slots[f] + 1) * valid_row > B[15].b.len)) {
            PyErr_Format(PyExc_ValueError, "field %zd: bad slot or kind, or output too small", f);
            goto done;
        }
    }

    Py_ssize_t kept = 0;
    Py_BEGIN_ALLOW_THREADS
    const int has_high = any_high(buf, size);  /* if not, no line needs the UTF-8 check */
    Py_ssize_t pos = 0;
    for (Py_ssize_t ln = 0; ln < count; ln++) {
        line_start[ln] = pos;
        int st = OK;
        Py_ssize_t p = pos;
        int comment = npre > 0 && pos + npre <= size && memcmp(buf + pos, prefix, npre) == 0;
        while (p < size && (is_blank(buf[p]) || buf[p] == '\r')) p++;
        if (comment || p == size || buf[p] == '\n') {
            st = SKIP;
        } else {
            /* fields go straight to output row ``kept``; a line that fails later is simply
               overwritten by the next one */
            for (Py_ssize_t f = 0; f < nf; f++) {
                const unsigned char sep = seps[f];
                const Py_ssize_t a = p;
                p = field_end(buf, p, size, sep == BLANK || sep == 0 ? ' ' : sep);
                if (p == a || !field_ok(buf + a, p - a, shapes[f], widths[f])) {
                    st = NO_MATCH;
                    break;
                }
                if (kinds[f] == KEEP_VIEW) {
                    put_view(views + (slots[f] * count + kept) * 16, buf, a, p - a, 0);
                    unsigned char *bits = valid + slots[f] * valid_row + (kept >> 3);
                    if (p - a <= nulls_max && is_null(buf + a, p - a, nulls, nulls_len))
                        *bits &= (unsigned char)~(1u << (kept & 7));
                    else
                        *bits |= (unsigned char)(1u << (kept & 7));
                }
                if (f == url_field)
                    put_shape(views + (url_slot * count + kept) * 16, buf, a, p - a, 0, arena,
                              &arena_used);
                else if (kinds[f] == KEEP_NUMBER)
                    nums[slots[f] * count + kept] = number(buf + a, p - a);
                if (sep == BLANK) {
                    if (p == size || !is_blank(buf[p])) { st = NO_MATCH; break; }
                    while (p < size && is_blank(buf[p])) p++;
                } else if (sep != 0) {
                    if (p == size || buf[p] != sep) { st = NO_MATCH; break; }
                    p++;
                }
            }
        }
        /* the rest of the line: only blanks (or CRs) may follow the last field */
        const unsigned char *nl = memchr(buf + p, '\n', size - p);
        Py_ssize_t e = nl ? nl - buf : size;
        if (st == OK)
            for (Py_ssize_t i = p; i < e; i++)
                if (!(is_blank(buf[i]) || buf[i] == '\r')) { st = NO_MATCH; break; }
        Py_ssize_t end = e;
        if (end > pos && buf[end - 1] == '\r') end--;
        line_end[ln] = end;
        if (st == OK && has_high && !valid_utf8(buf + pos, end - pos)) st = BAD_UTF8;
        state[ln] = (uint8_t)st;
        if (st == OK) rows[kept++] = ln;
        pos = e + 1;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(kept);
done:
    release(B, 16);
    return result;
}


/* one CSV cell that starts at p (the line's start or just after a comma), ending before e:
   sets its value's bounds and whether it was quoted with "" inside; returns where it ends */
static inline Py_ssize_t csv_cell(const unsigned char *buf, Py_ssize_t p, Py_ssize_t e,
                                  Py_ssize_t *a, Py_ssize_t *n, int *escaped)
{
    *escaped = 0;
    if (p < e && buf[p] == '"') {
        /* units are a non-quote byte or a "" pair; every quote a unit boundary reaches may
           close the cell, and the pattern's greedy match takes the last one */
        Py_ssize_t j = p + 1, close = -1;
        int pairs = 0, pairs_at_close = 0;
        while (j < e) {
            if (buf[j] != '"') { j++; continue; }
            close = j;
            pairs_at_close = pairs;
            if (j + 1 < e && buf[j + 1] == '"') { j += 2; pairs++; continue; }
            break;
        }
        if (close >= 0) {
            *a = p + 1;
            *n = close - p - 1;
            *escaped = pairs_at_close > 0;
            return close + 1;
        }
    }
    const unsigned char *c = memchr(buf + p, ',', e - p);
    const Py_ssize_t end = c ? c - buf : e;
    *a = p;
    *n = end - p;
    return end;
}

static PyObject *scan_csv(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *o[12];
    Py_ssize_t count, min_fields, url_slot;
    if (!PyArg_ParseTuple(args, "OnOOnOnOOOOOOO", &o[0], &count, &o[1], &o[2], &min_fields,
                          &o[3], &url_slot, &o[4], &o[5], &o[6], &o[7], &o[8], &o[9], &o[10]))
        return NULL;
    Buf B[11];
    memset(B, 0, sizeof B);
    PyObject *result = NULL;
    if (get(o[0], &B[0], 0, 0, "data") < 0 || get(o[1], &B[1], 0, 0, "prefix") < 0 ||
        get(o[2], &B[2], 0, 0, "columns") < 0 || get(o[3], &B[3], 0, 0, "nulls") < 0)
        goto done;
    const Py_ssize_t nslots = B[2].b.len / 8;
    const Py_ssize_t valid_row = (count + 7) / 8;
    if (get(o[4], &B[4], 1, count, "state") < 0 ||
        get(o[5], &B[5], 1, 8 * count, "line_start") < 0 ||
        get(o[6], &B[6], 1, 8 * count, "line_end") < 0 ||
        get(o[7], &B[7], 1, 8 * count, "rows") < 0 ||
        get(o[8], &B[8], 1, (nslots + (url_slot >= 0)) * count * 16, "views") < 0 ||
        get(o[9], &B[9], 1, nslots * valid_row, "valid") < 0 ||
        get(o[10], &B[10], 1, B[0].b.len, "arena") < 0)
        goto done;
    if (url_slot >= nslots) {
        PyErr_SetString(PyExc_ValueError, "url_slot: no such slot");
        goto done;
    }
    const unsigned char *buf = B[0].b.buf;
    const Py_ssize_t size = B[0].b.len;
    const unsigned char *prefix = B[1].b.buf;
    const Py_ssize_t npre = B[1].b.len;
    const int64_t *columns = B[2].b.buf;
    const unsigned char *nulls = B[3].b.buf;
    const Py_ssize_t nulls_len = B[3].b.len;
    uint8_t *state = B[4].b.buf;
    int64_t *line_start = B[5].b.buf, *line_end = B[6].b.buf, *rows = B[7].b.buf;
    unsigned char *views = B[8].b.buf, *valid = B[9].b.buf, *arena = B[10].b.buf;
    const Py_ssize_t nulls_max = longest(nulls, nulls_len);
    Py_ssize_t max_col = -1;
    for (Py_ssize_t j = 0; j < nslots; j++) {
        if (columns[j] < 0) {
            PyErr_SetString(PyExc_ValueError, "columns: a column index is negative");
            goto done;
        }
        if (columns[j] > max_col) max_col = columns[j];
    }

    Py_ssize_t kept = 0;
    Py_BEGIN_ALLOW_THREADS
    const int has_high = any_high(buf, size);
    Py_ssize_t arena_used = 0, pos = 0;
    for (Py_ssize_t ln = 0; ln < count; ln++) {
        const unsigned char *nl = memchr(buf + pos, '\n', size - pos);
        const Py_ssize_t next = nl ? nl - buf + 1 : size;
        Py_ssize_t e = nl ? nl - buf : size;
        if (e > pos && buf[e - 1] == '\r') e--;
        line_start[ln] = pos;
        line_end[ln] = e;
        int st = OK;
        Py_ssize_t p = pos;
        while (p < e && (is_blank(buf[p]) || buf[p] == '\r')) p++;
        if (p == e || (npre > 0 && pos + npre <= e && memcmp(buf + pos, prefix, npre) == 0))
            st = SKIP;
        else if (has_high && !valid_utf8(buf + pos, e - pos))
            st = BAD_UTF8;
        if (st == OK) {
            for (Py_ssize_t j = 0; j < nslots; j++) {  /* null until a cell is found */
                unsigned char *v = views + (j * count + kept) * 16;
                memset(v, 0, 16);
                valid[j * valid_row + (kept >> 3)] &= (unsigned char)~(1u << (kept & 7));
            }
            Py_ssize_t col = 0;
            p = pos;
            for (;;) {
                Py_ssize_t a, n;
                int escaped;
                const Py_ssize_t end = csv_cell(buf, p, e, &a, &n, &escaped);
                if (col <= max_col)
                    for (Py_ssize_t j = 0; j < nslots; j++) {
                        if (columns[j] != col) continue;
                        const unsigned char *src = buf;
                        Py_ssize_t off = a, len = n;
                        int32_t index = 0;
                        if (escaped) {  /* "" -> ": the value is rebuilt in the arena */
                            unsigned char *out = arena + arena_used;
                            len = 0;
                            for (Py_ssize_t i = a; i < a + n; i++) {
                                out[len++] = buf[i];
                                if (buf[i] == '"') i++;
                            }
                            src = arena;
                            off = arena_used;
                            index = 1;
                            arena_used += len;
                        }
                        put_view(views + (j * count + kept) * 16, src, off, len, index);
                        if (!(len <= nulls_max && is_null(src + off, len, nulls, nulls_len)))
                            valid[j * valid_row + (kept >> 3)] |= (unsigned char)(1u << (kept & 7));
                        if (j == url_slot)
                            put_shape(views + (nslots * count + kept) * 16, src, off, len, index,
                                      arena, &arena_used);
                    }
                col++;
                const unsigned char *c = memchr(buf + end, ',', e - end);
                if (!c) break;
                p = c - buf + 1;
            }
            if (col < min_fields) st = NO_MATCH;
        }
        state[ln] = (uint8_t)st;
        if (st == OK) rows[kept++] = ln;
        pos = next;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(kept);
done:
    release(B, 11);
    return result;
}

static PyObject *count_newlines(PyObject *Py_UNUSED(self), PyObject *arg)
{
    Py_buffer b;
    if (PyObject_GetBuffer(arg, &b, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    Py_ssize_t n = 0;
    Py_BEGIN_ALLOW_THREADS
    const char *s = b.buf, *end = s + b.len;
    while ((s = memchr(s, '\n', end - s)) != NULL) { n++; s++; }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&b);
    return PyLong_FromSsize_t(n);
}

static PyMethodDef methods[] = {
    {"count_newlines", count_newlines, METH_O, "Count the newline bytes of a buffer."},
    {"scan", scan, METH_VARARGS, "Split the lines of a block into fields (see tokens.py)."},
    {"scan_csv", scan_csv, METH_VARARGS, "Split the comma-separated lines of a block."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_tokens", .m_size = -1, .m_methods = methods};

PyMODINIT_FUNC PyInit__tokens(void)
{
    init_ends();
    return PyModule_Create(&module);
}
