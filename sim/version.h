/* version.h - the mpsim version recorded in every report and figure. */
#ifndef MP_VERSION_H
#define MP_VERSION_H
#define MP_VERSION "0.2.0"
#endif
