// librsvg (SVG → cairo), cairo's PNG writer and fontconfig (to make the theme's card fonts known to librsvg).
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
