#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H
// epoll, eventfd and accept4 for DriftTransport: the pre-built Glibc module exports none of them.
// Do NOT include <sys/socket.h> (or other headers Glibc already covers) here: their declarations would be
// re-owned by this module and e.g. SOCK_STREAM / IPPROTO_TCP would vanish from files that only `import Glibc`.
#include <sys/epoll.h>
#include <sys/eventfd.h>
// Real prototype: int accept4(int, struct sockaddr *, socklen_t *, int); declared without <sys/socket.h> types.
int accept4(int fd, void *addr, void *addrlen, int flags);
#endif
