/* SPDX-License-Identifier: Apache-2.0 */
/* ZeroVM's report (reference §3): its six lines and the accounting fields. */
#include "job.h"

void zvm_report_clear(ZvmReport *report)
{
	g_clear_pointer(&report->etags, g_free);
	g_clear_pointer(&report->accounting, g_free);
	g_clear_pointer(&report->exit_state, g_free);
}

static char *format_accounting(const ZvmReport *report)
{
	return g_strdup_printf("%.2f %.2f %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
			       " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
			       " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
			       report->sys_seconds, report->user_seconds, report->local[0],
			       report->local[1], report->local[2], report->local[3],
			       report->network[0], report->network[1], report->network[2],
			       report->network[3]);
}

void zvm_report_set_failure(ZvmReport *report, ZvmExitKind kind, const char *reason)
{
	g_free(report->exit_state);
	report->exit_state = g_strdup(reason);
	report->exit_kind = kind;
	if (kind == ZVM_EXIT_VALIDATION)
		report->validator_state = 1;
	if (report->etags == NULL)
		report->etags = g_strdup("disabled");
	g_free(report->accounting);
	report->accounting = format_accounting(report);
}

char *zvm_report_format(const ZvmReport *report)
{
	g_autofree char *accounting = report->accounting ? NULL : format_accounting(report);
	g_autofree char *state = g_strdup(report->exit_state ? report->exit_state : "unknown");
	/* One value per line, as ZeroCloud split it: a reason never spans lines. */
	g_strdelimit(state, "\r\n", ' ');
	return g_strdup_printf("%d\n%d\n%d\n%s\n%s\n%s\n", report->validator_state, report->daemon,
			       report->user_rc,
			       report->etags && *report->etags ? report->etags : "disabled",
			       report->accounting ? report->accounting : accounting, state);
}
