/* Blank-separated log tokenizer: the compiled half of workbench/ingest/tokens.py.
 *
 * Two functions over one block of whole lines (no final newline), writing into arrays the
 * caller allocated (numpy), with the GIL released:
 *   scan(data, count, shapes, widths, seps, prefix, num_slots,
 *        state, line_start, line_end, starts, ends, nums)
 *   views(data, line_start, starts, ends, nfields, field, rows, out)
 *       Arrow string views of one field of some lines
 *   count_newlines(data)                      for the line reader (lines.py)
 * The layout rules are documented in tokens.py; the shape and state codes are the same.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum { ANY = 0, DIGITS = 1, DECIMAL = 2, INTEGER = 3, UPPER = 4 };
enum { OK = 0, SKIP = 1, NO_MATCH = 2, BAD_UTF8 = 3 };
#define BLANK 32

static inline int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

/* bytes that end any field: space, tab, newline, carriage return (one table load per byte) */
static unsigned char ENDS[256];

static void init_ends(void)
{
    ENDS[' '] = ENDS['\t'] = ENDS['\n'] = ENDS['\r'] = 1;
}

/* 1 when buf[a:b] is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF) */
static int valid_utf8(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    while (i < n) {
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

static PyObject *scan(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *o[12];
    Py_ssize_t count;
    if (!PyArg_ParseTuple(args, "OnOOOOOOOOOOO", &o[0], &count, &o[1], &o[2], &o[3], &o[4],
                          &o[5], &o[6], &o[7], &o[8], &o[9], &o[10], &o[11]))
        return NULL;
    Buf B[12];
    memset(B, 0, sizeof B);
    PyObject *result = NULL;
    if (get(o[0], &B[0], 0, 0, "data") < 0 || get(o[1], &B[1], 0, 0, "shapes") < 0)
        goto done;
    Py_ssize_t nf = B[1].b.len;
    if (get(o[2], &B[2], 0, 4 * nf, "widths") < 0 || get(o[3], &B[3], 0, nf, "seps") < 0 ||
        get(o[4], &B[4], 0, 0, "prefix") < 0 || get(o[5], &B[5], 0, 8 * nf, "num_slots") < 0 ||
        get(o[6], &B[6], 1, count, "state") < 0 ||
        get(o[7], &B[7], 1, 8 * count, "line_start") < 0 ||
        get(o[8], &B[8], 1, 8 * count, "line_end") < 0 ||
        get(o[9], &B[9], 1, 4 * nf * count, "starts") < 0 ||
        get(o[10], &B[10], 1, 4 * nf * count, "ends") < 0 ||
        get(o[11], &B[11], 1, 0, "nums") < 0)
        goto done;
    const unsigned char *buf = B[0].b.buf;
    const Py_ssize_t size = B[0].b.len;
    const int8_t *shapes = B[1].b.buf;
    const int32_t *widths = B[2].b.buf;
    const unsigned char *seps = B[3].b.buf;
    const unsigned char *prefix = B[4].b.buf;
    const Py_ssize_t npre = B[4].b.len;
    const int64_t *slots = B[5].b.buf;
    uint8_t *state = B[6].b.buf;
    int64_t *line_start = B[7].b.buf, *line_end = B[8].b.buf;
    int32_t *starts = B[9].b.buf, *ends = B[10].b.buf;
    double *nums = B[11].b.buf;
    for (Py_ssize_t f = 0; f < nf; f++)
        if (slots[f] >= 0 && (slots[f] + 1) * count * 8 > B[11].b.len) {
            PyErr_SetString(PyExc_ValueError, "nums: too small for the number slots");
            goto done;
        }

    Py_BEGIN_ALLOW_THREADS
    unsigned char acc = 0;  /* any byte >= 0x80: then lines need the UTF-8 check */
    for (Py_ssize_t i = 0; i < size; i++) acc |= buf[i];
    const int has_high = acc >= 0x80;
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
            for (Py_ssize_t f = 0; f < nf; f++) {
                const unsigned char sep = seps[f];
                const Py_ssize_t a = p;
                if (sep == BLANK || sep == 0) {
                    while (p < size && !ENDS[buf[p]]) p++;
                } else {
                    while (p < size && !ENDS[buf[p]] && buf[p] != sep) p++;
                }
                starts[ln * nf + f] = (int32_t)(a - pos);
                ends[ln * nf + f] = (int32_t)(p - pos);
                if (p == a || !field_ok(buf + a, p - a, shapes[f], widths[f])) {
                    st = NO_MATCH;
                    break;
                }
                if (slots[f] >= 0) nums[slots[f] * count + ln] = number(buf + a, p - a);
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
        pos = e + 1;
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    release(B, 12);
    return result;
}

static PyObject *views(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *o[6];
    Py_ssize_t nf, field;
    if (!PyArg_ParseTuple(args, "OOOOnnOO", &o[0], &o[1], &o[2], &o[3], &nf, &field, &o[4],
                          &o[5]))
        return NULL;
    Buf B[6];
    memset(B, 0, sizeof B);
    PyObject *result = NULL;
    if (get(o[0], &B[0], 0, 0, "data") < 0 || get(o[1], &B[1], 0, 0, "line_start") < 0 ||
        get(o[2], &B[2], 0, 0, "starts") < 0 || get(o[3], &B[3], 0, 0, "ends") < 0 ||
        get(o[4], &B[4], 0, 0, "rows") < 0)
        goto done;
    Py_ssize_t n = B[4].b.len / 8, lines = B[1].b.len / 8;
    if (get(o[5], &B[5], 1, 16 * n, "out") < 0) goto done;
    if (field < 0 || field >= nf || B[2].b.len < 4 * nf * lines ||
        B[3].b.len < 4 * nf * lines) {
        PyErr_SetString(PyExc_ValueError, "starts/ends: not (lines, fields) or field out of range");
        goto done;
    }
    const unsigned char *buf = B[0].b.buf;
    const int64_t *line_start = B[1].b.buf, *rows = B[4].b.buf;
    const int32_t *starts = B[2].b.buf, *ends = B[3].b.buf;
    unsigned char *out = B[5].b.buf;
    for (Py_ssize_t i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= lines) {
            PyErr_SetString(PyExc_IndexError, "rows: out of range");
            goto done;
        }
    Py_BEGIN_ALLOW_THREADS
    /* Arrow's view layout: int32 length, then the bytes inline (length <= 12, zero padded)
       or a 4-byte prefix, buffer index 0 (the block) and the offset into it */
    for (Py_ssize_t i = 0; i < n; i++) {
        const int64_t r = rows[i];
        const int64_t a = line_start[r] + starts[r * nf + field];
        const int32_t len = ends[r * nf + field] - starts[r * nf + field];
        unsigned char *v = out + 16 * i;
        memcpy(v, &len, 4);
        if (len <= 12) {
            memset(v + 4, 0, 12);
            memcpy(v + 4, buf + a, len);
        } else {
            const int32_t index = 0, offset = (int32_t)a;
            memcpy(v + 4, buf + a, 4);
            memcpy(v + 8, &index, 4);
            memcpy(v + 12, &offset, 4);
        }
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    release(B, 6);
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
    {"views", views, METH_VARARGS, "Write Arrow string views of one field of some lines."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_tokens", .m_size = -1, .m_methods = methods};

PyMODINIT_FUNC PyInit__tokens(void)
{
    init_ends();
    return PyModule_Create(&module);
}
