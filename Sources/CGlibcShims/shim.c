// Wrappers for glibc calls declared only under _GNU_SOURCE (see include/CGlibcShims.h).
#define _GNU_SOURCE 1
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include "CGlibcShims.h"

int roost_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

int roost_set_current_thread_name(const char *name) {
    // The kernel limit is TASK_COMM_LEN (16) including the terminating NUL.
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

int roost_current_thread_name(char *buffer, size_t length) {
    return pthread_getname_np(pthread_self(), buffer, length);
}
