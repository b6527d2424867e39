// The spawn floor: posix_spawn a program and wait for it, COUNT times, JOBS at a time.
// Usage: spawn-floor COUNT [JOBS [PROGRAM [ARGUMENT...]]]   (PROGRAM defaults to /bin/true)
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    int jobs = argc > 2 ? atoi(argv[2]) : 1;
    char *default_arguments[] = {"/bin/true", NULL};
    char **arguments = argc > 3 ? argv + 3 : default_arguments;
    int running = 0, started = 0;
    while (started < count || running > 0) {
        while (running < jobs && started < count) {
            pid_t pid;
            if (posix_spawn(&pid, arguments[0], NULL, NULL, arguments, environ) != 0) return 1;
            running++;
            started++;
        }
        int status;
        if (wait(&status) > 0) running--;
    }
    return 0;
}
