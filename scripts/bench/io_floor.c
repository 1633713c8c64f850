/* The I/O floor of a build on this machine, for the issue 7 figures: how long it takes to read every file of a
 * programme folder and to write every file of a finished output folder (same paths, same bytes), with N threads and
 * nothing else: one open/read (or open/write/close) per file, folders made beforehand.
 *
 *   cc -O2 -pthread scripts/bench/io_floor.c -o /tmp/io_floor
 *   /tmp/io_floor CONTENT_DIR OUTPUT_DIR SCRATCH_DIR THREADS     (SCRATCH_DIR must not exist; it is removed after)
 *
 * Prints: files and seconds to read CONTENT_DIR, to read OUTPUT_DIR into memory, to write it again into
 * SCRATCH_DIR, and to delete SCRATCH_DIR (one thread, as `rm -rf`).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct { char *path; char *data; size_t length; } File;
static File *files;
static int count, capacity, threads;
static const char *base, *target;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static int collect(const char *path, const struct stat *info, int type, struct FTW *ftw) {
    (void)info; (void)ftw;
    if (type != FTW_F) return 0;
    if (count == capacity) { capacity = capacity ? 2 * capacity : 4096; files = realloc(files, capacity * sizeof(File)); }
    files[count++] = (File){ strdup(path + strlen(base) + 1), NULL, 0 };
    return 0;
}

static void *readPart(void *arg) {
    char path[4096];
    for (long i = (long)arg; i < count; i += threads) {
        snprintf(path, sizeof path, "%s/%s", base, files[i].path);
        int fd = open(path, O_RDONLY);
        struct stat info; fstat(fd, &info);
        files[i].data = malloc(info.st_size + 1);
        files[i].length = read(fd, files[i].data, info.st_size);
        close(fd);
    }
    return NULL;
}

static void *writePart(void *arg) {
    char path[4096];
    for (long i = (long)arg; i < count; i += threads) {
        snprintf(path, sizeof path, "%s/%s", target, files[i].path);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (write(fd, files[i].data, files[i].length) < 0) perror(path);
        close(fd);
    }
    return NULL;
}

static double parallel(void *(*body)(void *)) {
    pthread_t t[64];
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, body, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    return now() - start;
}

static void load(const char *folder) {
    for (int i = 0; i < count; i++) { free(files[i].path); free(files[i].data); }
    count = 0; base = folder;
    nftw(folder, collect, 64, FTW_PHYS);
}

static int removeEntry(const char *path, const struct stat *info, int type, struct FTW *ftw) {
    (void)info; (void)type; (void)ftw;
    return remove(path);
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: io_floor CONTENT_DIR OUTPUT_DIR SCRATCH_DIR THREADS\n"); return 2; }
    threads = atoi(argv[4]); if (threads < 1 || threads > 64) threads = 1;
    load(argv[1]);
    printf("read content: %d files in %.3f s\n", count, parallel(readPart));
    load(argv[2]);
    double readOutput = parallel(readPart);
    printf("read output:  %d files in %.3f s\n", count, readOutput);
    target = argv[3];
    /* The folders first, as a build does. */
    char command[8192];
    snprintf(command, sizeof command, "cd '%s' && find . -type d -exec mkdir -p '%s/{}' \\;", argv[2], argv[3]);
    if (system(command) != 0) return 1;
    printf("write output: %d files in %.3f s (%d threads)\n", count, parallel(writePart), threads);
    double start = now();
    nftw(argv[3], removeEntry, 64, FTW_DEPTH | FTW_PHYS);
    printf("delete it:    %.3f s\n", now() - start);
    return 0;
}
