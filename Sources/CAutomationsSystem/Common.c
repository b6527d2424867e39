#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "CAutomationsSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

/// Blocks SIGCHLD in the main thread before main runs, so that every thread (all created later) inherits the block.
/// On Linux exits are watched with process descriptors (or a signalfd, which needs the signal blocked); an
/// unblocked SIGCHLD, although ignored, still woke a sleeping thread of the runner for every command that ended (two
/// context switches each). The POSIX backend unblocks it in its event loop's thread alone. Commands are spawned
/// with an empty mask.
__attribute__((constructor)) static void block_child_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int automations_decode_status(int status, int *code) {
    if (WIFEXITED(status)) {
        *code = WEXITSTATUS(status);
        return 0;
    }
    if (WIFSIGNALED(status)) {
        *code = WTERMSIG(status);
        return 1;
    }
    return -1;
}

int automations_pipe(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

void automations_set_nonblocking(int fd) {
    int on = 1;
    ioctl(fd, FIONBIO, &on);
}

void automations_drain(int fd) {
    char buffer[1024]; // a multiple of a signalfd record (128 bytes)
    while (read(fd, buffer, sizeof buffer) > 0) {}
}

/// The first SIGINT, SIGTERM or SIGHUP that arrived before the runner watched for them (0 for none).
static volatile sig_atomic_t early_stop_signal = 0;

static void record_early_stop_signal(int signal_number) {
    if (early_stop_signal == 0) early_stop_signal = signal_number;
}

void automations_catch_early_stop_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_early_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int automations_early_stop_signal(void) { return early_stop_signal; }
