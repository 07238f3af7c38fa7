#include "ConnectionSettings.h"
