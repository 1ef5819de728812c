/*
 * The floor of the benchmark: the least work any tool reading our YAML must do. It reads each
 * file into memory and runs libyaml's event parser over it, building nothing. sg-provisioner uses
 * the same parser, so (our time - this time) is what our own stages cost.
 *
 * Usage: yaml_floor FILE...   prints "FILE: N events" per file; exit 1 on a read or parse error.
 * Built by bench/run.sh with: cc -O2 -o bench/work/yaml_floor bench/yaml_floor.c -lyaml
 */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

/* Reads a whole file; the caller frees. Whole-file reading mirrors what the tool does. */
static unsigned char *read_file(const char *path, size_t *length) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) return NULL;
    size_t capacity = 1 << 16, used = 0;
    unsigned char *buffer = malloc(capacity);
    while (buffer != NULL) {
        size_t got = fread(buffer + used, 1, capacity - used, file);
        used += got;
        if (used < capacity) break;
        capacity *= 2;
        unsigned char *grown = realloc(buffer, capacity);
        if (grown == NULL) { free(buffer); buffer = NULL; }
        else buffer = grown;
    }
    int failed = ferror(file);
    fclose(file);
    if (failed) { free(buffer); return NULL; }
    *length = used;
    return buffer;
}

/* Counts events until STREAM_END. Stops on the first error: after one, libyaml keeps returning
 * success with empty events, so a loop waiting only for STREAM_END would never end. */
static long parse_events(const unsigned char *bytes, size_t length, const char *path) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return -1;
    yaml_parser_set_input_string(&parser, bytes, length);
    long events = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%zu:%zu: error: %s\n", path, parser.problem_mark.line + 1,
                    parser.problem_mark.column + 1, parser.problem ? parser.problem : "parse error");
            events = -1;
            break;
        }
        events++;
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (done) break;
    }
    yaml_parser_delete(&parser);
    return events;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\n", argv[0]);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        size_t length = 0;
        unsigned char *bytes = read_file(argv[i], &length);
        if (bytes == NULL) {
            perror(argv[i]);
            status = 1;
            continue;
        }
        long events = parse_events(bytes, length, argv[i]);
        free(bytes);
        if (events < 0) status = 1;
        else printf("%s: %ld events\n", argv[i], events);
    }
    return status;
}
