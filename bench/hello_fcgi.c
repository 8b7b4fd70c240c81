/* hello_fcgi: the one-hop FastCGI reference of bench/run. The smallest
 * libfcgi responder that serves the way the screens do: one process,
 * `threads` worker threads (the screens' `workers`, default 4) taking turns
 * on one listening unix socket, a fixed small HTML answer, no database.
 * Whatever a screen costs above this is the screen's own work.
 *   hello_fcgi SOCKET_PATH [THREADS]
 * Built by bench/run: cc -O2 -o hello_fcgi hello_fcgi.c -lfcgi -lpthread.
 * SIGTERM or SIGINT ends it at once (exit 0): a reference keeps no state. */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int listen_fd = -1;
static pthread_mutex_t accept_lock = PTHREAD_MUTEX_INITIALIZER;

static const char kAnswer[] =
    "Status: 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Cache-Control: no-store\r\n"
    "\r\n"
    "<!DOCTYPE html><html lang=\"ja\"><title>hello</title><p>Hello, world.</p></html>\n";

static void *serve(void *unused) {
  (void)unused;
  FCGX_Request request;
  FCGX_InitRequest(&request, listen_fd, 0);
  for (;;) {
    pthread_mutex_lock(&accept_lock);
    const int accepted = FCGX_Accept_r(&request);
    pthread_mutex_unlock(&accept_lock);
    if (accepted < 0) break;
    FCGX_PutStr(kAnswer, (int)sizeof(kAnswer) - 1, request.out);
    FCGX_Finish_r(&request);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: hello_fcgi SOCKET_PATH [THREADS]\n");
    return 64;
  }
  const int threads = argc > 2 ? atoi(argv[2]) : 4;
  if (threads < 1 || threads > 64) {
    fprintf(stderr, "hello_fcgi: THREADS must be 1..64\n");
    return 64;
  }
  /* The workers inherit the blocked mask; only sigwait below sees a stop. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (FCGX_Init() != 0) return 70;
  unlink(argv[1]);
  listen_fd = FCGX_OpenSocket(argv[1], 128);
  if (listen_fd < 0 || chmod(argv[1], 0660) != 0) {
    fprintf(stderr, "hello_fcgi: cannot listen on %s\n", argv[1]);
    return 69;
  }
  pthread_t workers[64];
  for (int i = 0; i < threads; ++i) pthread_create(&workers[i], NULL, serve, NULL);
  int received = 0;
  sigwait(&stop, &received);
  unlink(argv[1]);
  return 0;
}
