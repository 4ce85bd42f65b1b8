import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorView } from '../groups/dto/group.views';
import type { TokenHolder } from './admin-token-registry';
import { RequiresRole } from './requires-role.decorator';
import { SessionView } from './session.view';
import { Holder } from './token-holder.decorator';

/**
 * The console asks once who its token is, and hides what the role cannot do. Hiding is a
 * convenience only: every route still checks the role itself.
 */
@ApiTags('session')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorView })
@Controller('api/session')
export class SessionController {
  @RequiresRole('reader')
  @Get()
  @ApiOperation({ summary: "The presented token's label and role (never the token)" })
  @ApiOkResponse({ type: SessionView })
  session(@Holder() holder: TokenHolder): SessionView {
    return { label: holder.label, role: holder.role };
  }
}
