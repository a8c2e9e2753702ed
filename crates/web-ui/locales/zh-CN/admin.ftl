# Administration screens.
admin-users-title = 用户
admin-org-title = 组织架构
admin-roles-title = 角色
admin-api-keys-title = API 密钥
role-admin = 系统管理员
role-sales_manager = 销售经理
role-sales_rep = 销售代表
role-service_agent = 客服
role-marketing = 市场
role-partner = 经销商
