/* Running a lesson's Try-it block (tryit.h): the module it names opens
 * already set up. The glue to each module's screen is here, in one place,
 * so that a module that gains its own "open with these settings" entry
 * needs one change here. */
#ifndef AIPM_SCREENS_TRY_H
#define AIPM_SCREENS_TRY_H

#include "app.h"
#include "drill_screens.h"
#include "tryit.h"

/* Opens what b names. open is where a drill question's screen reports
 * back: it must live as long as the screen below (the reader) does. */
void try_run(struct app *app, const struct try_block *b, struct drill_open *open);

#endif
