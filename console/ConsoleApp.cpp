#include "Expected.h"
