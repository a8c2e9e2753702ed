# Administration screens.
admin-users-title = 使用者
admin-org-title = 組織架構
admin-roles-title = 角色
admin-api-keys-title = API 金鑰
role-admin = 系統管理員
role-sales_manager = 銷售經理
role-sales_rep = 銷售代表
role-service_agent = 客服
role-marketing = 市場
role-partner = 經銷商
