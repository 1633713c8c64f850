// librsvg (SVG → cairo), fontconfig (to make the theme's card fonts known to librsvg) and zlib (the cards' PNG
// encoder: Tandem writes the PNG itself from cairo's pixels, see CardRasterizer.swift).
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <zlib.h>
