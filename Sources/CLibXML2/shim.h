// libxml2's streaming reader (xmlTextReader), for importing JUnit XML from any tool into the run history.
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
