// SHA-256 as FIPS 180-4 defines it: the result cache's digests of file contents and keys.
#include "CAutomationsSystem.h"
#include <string.h>

static const unsigned int round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static unsigned int rotate_right(unsigned int value, int bits) {
    return (value >> bits) | (value << (32 - bits));
}

static void compress(automations_sha256 *context, const unsigned char block[64]) {
    unsigned int schedule[64];
    for (int i = 0; i < 16; i++) {
        schedule[i] = ((unsigned int)block[i * 4] << 24) | ((unsigned int)block[i * 4 + 1] << 16) |
                      ((unsigned int)block[i * 4 + 2] << 8) | (unsigned int)block[i * 4 + 3];
    }
    for (int i = 16; i < 64; i++) {
        unsigned int s0 = rotate_right(schedule[i - 15], 7) ^ rotate_right(schedule[i - 15], 18) ^ (schedule[i - 15] >> 3);
        unsigned int s1 = rotate_right(schedule[i - 2], 17) ^ rotate_right(schedule[i - 2], 19) ^ (schedule[i - 2] >> 10);
        schedule[i] = schedule[i - 16] + s0 + schedule[i - 7] + s1;
    }
    unsigned int a = context->state[0], b = context->state[1], c = context->state[2], d = context->state[3];
    unsigned int e = context->state[4], f = context->state[5], g = context->state[6], h = context->state[7];
    for (int i = 0; i < 64; i++) {
        unsigned int sum1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
        unsigned int choice = (e & f) ^ (~e & g);
        unsigned int first = h + sum1 + choice + round_constants[i] + schedule[i];
        unsigned int sum0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
        unsigned int majority = (a & b) ^ (a & c) ^ (b & c);
        unsigned int second = sum0 + majority;
        h = g;
        g = f;
        f = e;
        e = d + first;
        d = c;
        c = b;
        b = a;
        a = first + second;
    }
    context->state[0] += a;
    context->state[1] += b;
    context->state[2] += c;
    context->state[3] += d;
    context->state[4] += e;
    context->state[5] += f;
    context->state[6] += g;
    context->state[7] += h;
}

void automations_sha256_init(automations_sha256 *context) {
    static const unsigned int initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(context->state, initial, sizeof initial);
    context->length = 0;
    context->used = 0;
}

void automations_sha256_update(automations_sha256 *context, const void *data, unsigned long count) {
    const unsigned char *bytes = data;
    context->length += count;
    if (context->used > 0) {
        unsigned long take = 64 - context->used < count ? 64 - context->used : count;
        memcpy(context->buffer + context->used, bytes, take);
        context->used += (unsigned int)take;
        bytes += take;
        count -= take;
        if (context->used < 64) return;
        compress(context, context->buffer);
        context->used = 0;
    }
    while (count >= 64) {
        compress(context, bytes);
        bytes += 64;
        count -= 64;
    }
    memcpy(context->buffer, bytes, count);
    context->used = (unsigned int)count;
}

void automations_sha256_final(automations_sha256 *context, unsigned char digest[32]) {
    unsigned long long bits = context->length * 8;
    unsigned char padding[72] = {0x80};
    unsigned long pad = context->used < 56 ? 56 - context->used : 120 - context->used;
    unsigned char length[8];
    for (int i = 0; i < 8; i++) length[i] = (unsigned char)(bits >> (56 - 8 * i));
    automations_sha256_update(context, padding, pad);
    automations_sha256_update(context, length, 8);
    for (int i = 0; i < 8; i++) {
        digest[i * 4] = (unsigned char)(context->state[i] >> 24);
        digest[i * 4 + 1] = (unsigned char)(context->state[i] >> 16);
        digest[i * 4 + 2] = (unsigned char)(context->state[i] >> 8);
        digest[i * 4 + 3] = (unsigned char)context->state[i];
    }
}
