// Runs a command as on a Linux kernel before 5.3: a seccomp filter makes pidfd_open (434), clone3 (435) and
// close_range (436) fail with ENOSYS, as RHEL 8 (4.18), Debian 10 (4.19), Ubuntu 18.04 (4.15) and Amazon Linux 2
// (4.14) answer, and every container on such a host. The filter is inherited by everything the command starts.
//
// Usage: as-old-kernel COMMAND [ARGUMENT...]        (scripts/as-old-kernel builds and runs it)
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "as-old-kernel knows x86_64 and aarch64"
#endif

int main(int argc, char *argv[]) {
    if (argc < 2) {
        fprintf(stderr, "usage: as-old-kernel COMMAND [ARGUMENT...]\n");
        return 2;
    }
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 434, 3, 0), // pidfd_open (5.3)
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 435, 2, 0), // clone3 (5.3)
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 436, 1, 0), // close_range (5.9)
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
    };
    struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        fprintf(stderr, "as-old-kernel: cannot install the seccomp filter: %s\n", strerror(errno));
        return 2;
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "as-old-kernel: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
