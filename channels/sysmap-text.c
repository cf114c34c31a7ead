/* SPDX-License-Identifier: Apache-2.0 */
/* The system map's node texts: the manifest and nvram each node gets, in our dialect. */
#include "sysmap-private.h"

#include <string.h>

#include "manifest.h"

/* \xHH for every byte that nvram syntax gives a meaning to (blanks and '"' too, which split
 * [args]), or that is not plain ASCII. */
static void append_nvram_escaped(GString *out, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		gboolean plain = g_ascii_isalnum(*p) || strchr("._/:+@%^-*~!?()<>{}|$&'`", *p);
		if (plain)
			g_string_append_c(out, (char)*p);
		else
			g_string_append_printf(out, "\\x%02x", *p);
	}
}

static void append_channel(GString *out, const char *uri, const char *alias, int type,
			   gboolean etag, gboolean readable, const ZvmLimits *limits)
{
	if (readable)
		g_string_append_printf(
		    out, "Channel = %s,%s,%d,%d,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",0,0\n",
		    uri, alias, type, etag ? 1 : 0, limits->default_gets, limits->default_get_size);
	else
		g_string_append_printf(
		    out, "Channel = %s,%s,%d,%d,0,0,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\n",
		    uri, alias, type, etag ? 1 : 0, limits->default_puts, limits->default_put_size);
}

char *zvm_sysmap_node_manifest(const Group *group, guint index, const ZvmSysmapNode *node,
			       GPtrArray *nodes, const GArray *pipes, guint self,
			       const ZvmLimits *limits)
{
	GString *out = g_string_new(NULL);
	g_string_append_printf(out,
			       "Version = " ZVM_MANIFEST_VERSION "\nProgram = %s\nTimeout = %u\n"
			       "Memory = %" G_GUINT64_FORMAT ", 0\nNode = %u\n",
			       group->exec_path, group->timeout, group->memory, node->id);
	/* Standard channels first, missing ones as ZeroCloud mapped them. */
	static const char *const order[] = {"stdin", "stdout", "stderr",
					    "input", "output", "image"};
	for (size_t o = 0; o < G_N_ELEMENTS(order); o++) {
		const Device *device = NULL;
		for (guint d = 0; d < group->devices->len; d++)
			if (strcmp(((Device *)group->devices->pdata[d])->kind->name, order[o]) == 0)
				device = group->devices->pdata[d];
		const DeviceKind *kind = device ? device->kind : zvm_sysmap_device_kind(order[o]);
		g_autofree char *alias = g_strdup_printf("/dev/%s", kind->name);
		if (device == NULL && o >= 3)
			continue;
		if (device == NULL && kind->readable) {
			append_channel(out, "/dev/null", alias, kind->type, FALSE, TRUE, limits);
			continue;
		}
		if (kind->readable) {
			const char *uri =
			    device == group->wildcard ? group->matches->pdata[index] : device->path;
			append_channel(out, uri, alias, kind->type, FALSE, TRUE, limits);
			continue;
		}
		g_autofree char *uri = g_strdup_printf(
		    "%s/%s", node->name, device && device->path ? device->path : kind->name);
		append_channel(out, uri, alias, kind->type, TRUE, FALSE, limits);
	}
	for (guint i = 0; i < pipes->len; i++) {
		const Pipe *pipe = &g_array_index(pipes, Pipe, i);
		const ZvmSysmapNode *writer = nodes->pdata[pipe->writer];
		const ZvmSysmapNode *reader = nodes->pdata[pipe->reader];
		g_autofree char *uri = g_strdup_printf("pipe:%s->%s", writer->name, reader->name);
		if (pipe->writer == self) {
			g_autofree char *alias = g_strdup_printf("/dev/out/%s", reader->name);
			append_channel(out, uri, alias, 0, FALSE, FALSE, limits);
		}
		if (pipe->reader == self) {
			g_autofree char *alias = g_strdup_printf("/dev/in/%s", writer->name);
			append_channel(out, uri, alias, 0, FALSE, TRUE, limits);
		}
	}
	return g_string_free(out, FALSE);
}

char *zvm_sysmap_node_nvram(const Group *group, const ZvmSysmapNode *node)
{
	GString *out = g_string_new("[args]\nargs = ");
	append_nvram_escaped(out, group->exec_name ? group->exec_name : node->name);
	for (guint i = 0; i < group->args->len; i++) {
		const char *word = group->args->pdata[i];
		g_string_append_c(out, ' ');
		if (*word == '\0')
			g_string_append(out, "\"\"");
		append_nvram_escaped(out, word);
	}
	g_string_append_c(out, '\n');
	if (group->env->len)
		g_string_append(out, "[env]\n");
	for (guint i = 0; i + 1 < group->env->len; i += 2) {
		g_string_append(out, "name = ");
		append_nvram_escaped(out, group->env->pdata[i]);
		g_string_append(out, ", value = ");
		append_nvram_escaped(out, group->env->pdata[i + 1]);
		g_string_append_c(out, '\n');
	}
	for (guint d = 0; d < group->devices->len; d++)
		if (strcmp(((Device *)group->devices->pdata[d])->kind->name, "image") == 0)
			g_string_append(out, "[fstab]\nchannel = /dev/image, mountpoint = /, "
					     "access = ro, removable = no\n");
	return g_string_free(out, FALSE);
}
